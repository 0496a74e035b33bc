using Feeds.Server.Http;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Holds each remote host to <see cref="ActivityPubOptions.InboxRequestsPerMinutePerHost"/> inbox requests a minute,
/// counted before any key is fetched, so a flood cannot make the site fetch on the flood's behalf.
/// </summary>
public sealed class InboxRateLimiter(IOptions<ActivityPubOptions> options) : HostRateLimiter(options.Value.InboxRequestsPerMinutePerHost);
