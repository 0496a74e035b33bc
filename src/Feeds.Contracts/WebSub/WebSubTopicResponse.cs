namespace Feeds.Contracts.WebSub;

/// <summary>One topic (a feed in one format) and who subscribes to it; <see cref="Active"/> counts those whose lease runs.</summary>
public sealed record WebSubTopicResponse(string Topic, int Active, IReadOnlyList<WebSubSubscriberResponse> Subscribers);
