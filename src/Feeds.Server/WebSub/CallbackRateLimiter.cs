using Feeds.Server.Http;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Holds subscription requests to <see cref="WebSubOptions.RequestsPerMinutePerCallbackHost"/> a minute per callback
/// host, so a flood cannot turn the hub into a source of verification requests against one site.
/// </summary>
public sealed class CallbackRateLimiter(IOptions<WebSubOptions> options) : HostRateLimiter(options.Value.RequestsPerMinutePerCallbackHost);
