using Feeds.Data.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>
/// What the source handlers need besides the request itself, bound with <c>[AsParameters]</c>; each member is marked a
/// service, so that no binding takes one for the request body.
/// </summary>
public sealed record SourceServices(
    [FromServices] SourceStore Store,
    [FromServices] FeedLocator Locator,
    [FromServices] SourcePoller Poller,
    [FromServices] PollSchedule Schedule,
    [FromServices] IOptions<SourceOptions> Options,
    [FromServices] TimeProvider Clock);
