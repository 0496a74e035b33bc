using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Holds each remote host to <see cref="ActivityPubOptions.InboxRequestsPerMinutePerHost"/> inbox requests a minute,
/// counted before any key is fetched, so a flood costs the site little and cannot make it fetch on the flood's behalf.
/// </summary>
public sealed class InboxRateLimiter(IOptions<ActivityPubOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetFixedWindowLimiter(host, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.InboxRequestsPerMinutePerHost,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }), StringComparer.OrdinalIgnoreCase);

    public bool TryAcquire(string host)
    {
        using var lease = _limiter.AttemptAcquire(host);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
