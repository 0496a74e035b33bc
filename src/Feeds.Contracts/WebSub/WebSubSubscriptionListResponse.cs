namespace Feeds.Contracts.WebSub;

/// <summary>The built-in hub's subscribers, by topic.</summary>
public sealed record WebSubSubscriptionListResponse(IReadOnlyList<WebSubTopicResponse> Topics);
