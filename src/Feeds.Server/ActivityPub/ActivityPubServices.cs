using Feeds.Data.ActivityPub;
using Feeds.Data.Posts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// What the ActivityPub handlers need besides the request itself, bound with <c>[AsParameters]</c>; each member is
/// marked a service, so that no binding takes one for the request body.
/// </summary>
public sealed record ActivityPubServices(
    [FromServices] ActivityPubActors Actors,
    [FromServices] ActorResolver Resolver,
    [FromServices] ActivityPubDocuments Documents,
    [FromServices] FollowerStore Followers,
    [FromServices] PostQueries Posts,
    [FromServices] RemoteActors Remote,
    [FromServices] InboxRateLimiter RateLimiter,
    [FromServices] Delivery.OutboxSignal Signal,
    [FromServices] IOptions<ActivityPubOptions> Options,
    [FromServices] TimeProvider Clock);
