namespace Feeds.Contracts.WebSub;

/// <summary>
/// A verified subscription: <see cref="State"/> is <c>active</c> while the lease runs and <c>expired</c> after;
/// <see cref="HasSecret"/> says whether distributions carry <c>X-Hub-Signature</c>.
/// </summary>
public sealed record WebSubSubscriberResponse(
    Guid Id,
    string Callback,
    string State,
    int LeaseSeconds,
    DateTime LeaseEndsAt,
    DateTime VerifiedAt,
    DateTime CreatedAt,
    bool HasSecret,
    WebSubDeliveryResponse? LastDelivery);
