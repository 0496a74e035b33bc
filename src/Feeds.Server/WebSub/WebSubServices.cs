using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>What the hub's handlers need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed record WebSubServices(WebSubTopics Topics, WebSubVerifier Verifier, CallbackRateLimiter RateLimiter, IOptions<WebSubOptions> Options);
