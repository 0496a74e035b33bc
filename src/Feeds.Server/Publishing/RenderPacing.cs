using System.Diagnostics;

namespace Feeds.Server.Publishing;

/// <summary>
/// How long rendering waits before a run: a token bucket of rendering time, refilled at a quarter of the time that
/// passes and holding at most half a second. A lone publish, or a burst after a quiet spell, is rendered at once; under
/// a sustained stream of writes rendering takes at most about a quarter of one core and leaves the rest to the writers,
/// each run taking in every change made while it waited. A long run (a full rebuild) leaves a debt of at most half a
/// second of waiting, so it does not hold back the next publish for as long as it took. Times are
/// <see cref="Stopwatch"/> timestamps: this paces the machine's work, whatever clock the service tells the time by.
/// </summary>
public sealed class RenderPacing
{
    /// <summary>Wall time per unit of rendering time: rendering's share is one part in this many.</summary>
    public const int WallTimePerRenderTime = 4;

    private static readonly long Capacity = Stopwatch.Frequency / 2;
    private static readonly long MaxWait = Stopwatch.Frequency / 2;

    private readonly Lock _gate = new();
    private long _credit = Capacity;
    private long _creditAt;

    /// <summary>How long a run about to start at <paramref name="now"/> waits first.</summary>
    public TimeSpan WaitBefore(long now)
    {
        lock (_gate)
        {
            var credit = CreditAt(now);
            return credit >= 0 ? TimeSpan.Zero : Duration(-credit * WallTimePerRenderTime);
        }
    }

    /// <summary>Takes a run that started at <paramref name="started"/> and ended at <paramref name="ended"/> from the bucket.</summary>
    public void Ran(long started, long ended)
    {
        lock (_gate)
        {
            _credit = Math.Max(CreditAt(ended) - (ended - started), -MaxWait / WallTimePerRenderTime);
            _creditAt = ended;
        }
    }

    private long CreditAt(long now) => Math.Min(Capacity, _credit + Math.Max(0, now - _creditAt) / WallTimePerRenderTime);

    private static TimeSpan Duration(long stopwatchTicks) => TimeSpan.FromSeconds(stopwatchTicks / (double)Stopwatch.Frequency);
}
