using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Posts;

/// <summary>
/// What the post handlers need besides the request itself, bound with <c>[AsParameters]</c>. <see cref="Json"/> holds
/// the options request bodies were read with, so an idempotency hash is that of the request as understood.
/// </summary>
public sealed record PostServices(PostStore Posts, PostQueries Queries, IOptions<FeedsOptions> Site, TimeProvider Clock, IOptions<JsonOptions> Json, SearchIndex Search);
