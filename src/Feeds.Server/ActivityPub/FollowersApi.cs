using Feeds.Contracts.ActivityPub;
using Feeds.Data.ActivityPub;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.ActivityPub;

/// <summary><c>/api/activitypub</c>: who follows the site's actors, per actor. Needs a token.</summary>
public static class FollowersApi
{
    public static IEndpointRouteBuilder MapFollowersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/activitypub").WithTags("ActivityPub").RequireAuthorization();
        group.MapGet("/followers", ListFollowers).WithName("ListActivityPubFollowers")
            .WithSummary("Lists the followers of the site's actor and of each tag's actor, with their inboxes.");
        return app;
    }

    public static async Task<Ok<FollowerListResponse>> ListFollowers(FollowerStore followers, ActivityPubActors actors, CancellationToken cancellationToken)
    {
        var byActor = (await followers.ListAsync(cancellationToken)).ToLookup(f => f.Actor, StringComparer.Ordinal);
        var keys = new[] { ActorRef.Site.Key }.Concat(byActor.Select(g => g.Key).Where(k => k != ActorRef.Site.Key));
        var list = keys.Select(ActorRef.FromKey).OfType<ActorRef>().Select(actor => new ActorFollowersResponse(
            actor.Key,
            actors.Handle(actor),
            actors.Id(actor),
            [.. byActor[actor.Key].Select(f => new FollowerResponse(f.FollowerId, f.Inbox, f.SharedInbox, f.CreatedAt.UtcDateTime))]));
        return TypedResults.Ok(new FollowerListResponse([.. list]));
    }
}
