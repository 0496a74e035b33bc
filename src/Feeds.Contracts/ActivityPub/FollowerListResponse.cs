namespace Feeds.Contracts.ActivityPub;

/// <summary>The followers of the site's actors, by actor; the site actor is always listed.</summary>
public sealed record FollowerListResponse(IReadOnlyList<ActorFollowersResponse> Actors);
