namespace Feeds.Contracts.ActivityPub;

/// <summary>A remote actor following one of the site's actors, and the inbox deliveries to it go to.</summary>
public sealed record FollowerResponse(string Id, string Inbox, string? SharedInbox, DateTime FollowedAt);
