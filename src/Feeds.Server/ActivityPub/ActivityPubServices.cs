using Feeds.Data.ActivityPub;
using Feeds.Data.Posts;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>What the ActivityPub handlers need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed record ActivityPubServices(
    ActivityPubActors Actors,
    ActorResolver Resolver,
    ActivityPubDocuments Documents,
    FollowerStore Followers,
    PostQueries Posts,
    RemoteActors Remote,
    InboxRateLimiter RateLimiter,
    Delivery.OutboxSignal Signal,
    IOptions<ActivityPubOptions> Options,
    TimeProvider Clock);
