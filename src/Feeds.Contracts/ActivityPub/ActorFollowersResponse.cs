namespace Feeds.Contracts.ActivityPub;

/// <summary>One of the site's actors (the site, or a tag), its handle, and who follows it.</summary>
public sealed record ActorFollowersResponse(string Actor, string Handle, string Id, IReadOnlyList<FollowerResponse> Followers);
