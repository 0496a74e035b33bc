using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Posts;

/// <summary>
/// What the post handlers need besides the request itself, bound with <c>[AsParameters]</c>; each member is marked a
/// service, so that no binding takes one for the request body. <see cref="Json"/> holds the options request bodies were
/// read with, so an idempotency hash is that of the request as understood.
/// </summary>
public sealed record PostServices(
    [FromServices] PostStore Posts,
    [FromServices] PostQueries Queries,
    [FromServices] IOptions<FeedsOptions> Site,
    [FromServices] TimeProvider Clock,
    [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json,
    [FromServices] SearchIndex Search);
