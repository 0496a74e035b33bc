namespace Feeds.Contracts.Sources;

/// <summary>
/// Whether a source is <c>pushed</c> by the WebSub hub its feed advertises or <c>polled</c>, and, when polled,
/// <see cref="Reason"/> in words (no hub advertised, a subscription waiting for verification, a hub that refused or went
/// away, a private <c>BaseUrl</c>). <see cref="Hub"/> and <see cref="Topic"/> are what the feed advertises.
/// </summary>
public sealed record SourcePushResponse(
    string Updates,
    string? Reason,
    string? Hub,
    string? Topic,
    DateTime? LeaseEndsAt,
    DateTime? LastPushAt);
