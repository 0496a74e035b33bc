using Feeds.Data.Sources;
using Feeds.Server.WebSub;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources.Push;

/// <summary>
/// What the source callbacks need besides the request itself, bound with <c>[AsParameters]</c>; each member is marked a
/// service, so that no binding takes one for the request body.
/// </summary>
public sealed record SourcePushServices(
    [FromServices] SourcePushStore Store,
    [FromServices] SourcePoller Poller,
    [FromServices] PollSchedule Schedule,
    [FromServices] IOptions<WebSubOptions> Options,
    [FromServices] TimeProvider Clock,
    [FromServices] ILogger<SourceSubscriber> Logger);
