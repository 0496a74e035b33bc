using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// What the hub's handlers need besides the request itself, bound with <c>[AsParameters]</c>; each member is marked a
/// service, so that no binding takes one for the request body.
/// </summary>
public sealed record WebSubServices(
    [FromServices] WebSubTopics Topics,
    [FromServices] WebSubVerifier Verifier,
    [FromServices] CallbackRateLimiter RateLimiter,
    [FromServices] IOptions<WebSubOptions> Options);
