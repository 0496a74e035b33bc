namespace Feeds.Data.WebSub;

/// <summary>
/// A verified subscription of the built-in hub: <see cref="Callback"/> receives every new document of
/// <see cref="Topic"/> until <see cref="LeaseEndsAt"/>. A subscription is named by its topic and callback (WebSub
/// section 5.1); the secret is never shown.
/// </summary>
/// <param name="FeedKey">The feed the topic is a document of, with <see cref="Format"/> (<c>atom</c>, <c>rss</c>, <c>json</c>).</param>
public sealed record WebSubSubscription(
    Guid Id,
    string Topic,
    string FeedKey,
    string Format,
    string Callback,
    string? Secret,
    int LeaseSeconds,
    DateTimeOffset LeaseEndsAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset VerifiedAt)
{
    public bool IsActive(DateTimeOffset now) => LeaseEndsAt > now;
}
