using Feeds.Core.Syndication;
using Feeds.Core.Text;
using Feeds.Data.Posts;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// What the desk's post pages need, bound with <c>[AsParameters]</c>; each member is marked a service, so that no
/// binding takes one for the request body.
/// </summary>
public sealed record DeskPostServices(
    [FromServices] PostStore Posts,
    [FromServices] PostQueries Queries,
    [FromServices] FeedComposer Composer,
    [FromServices] CommentaryRenderer Renderer,
    [FromServices] TitleFetcher Titles,
    [FromServices] TimeProvider Clock);
