using System.Threading.RateLimiting;

namespace Feeds.Server.Http;

/// <summary>
/// Holds each remote host to <paramref name="permitsPerMinute"/> requests a minute (a fixed window, nothing queued), so
/// a flood from one host costs the site little and cannot make it send requests on the flood's behalf. Each feature
/// that limits hosts derives a limiter of its own, named for what it limits and sized from its settings.
/// </summary>
public abstract class HostRateLimiter(int permitsPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetFixedWindowLimiter(host, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }), StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes a permit for <paramref name="host"/>; false when its requests for this minute are spent.</summary>
    public bool TryAcquire(string host)
    {
        using var lease = _limiter.AttemptAcquire(host);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limiter.Dispose();
        }
    }
}
