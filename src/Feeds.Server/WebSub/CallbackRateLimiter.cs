using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Holds subscription requests to <see cref="WebSubOptions.RequestsPerMinutePerCallbackHost"/> a minute per callback
/// host, so a flood cannot turn the hub into a source of verification requests against one site.
/// </summary>
public sealed class CallbackRateLimiter(IOptions<WebSubOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetFixedWindowLimiter(host, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RequestsPerMinutePerCallbackHost,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }), StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes a permit for <paramref name="host"/>; false when its requests for this minute are spent.</summary>
    public bool TryAcquire(string host)
    {
        using var lease = _limiter.AttemptAcquire(host);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
