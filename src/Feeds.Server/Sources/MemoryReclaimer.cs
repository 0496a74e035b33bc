namespace Feeds.Server.Sources;

/// <summary>
/// Gives memory back to the system after a fetch that read (or refused) a large body. Nothing keeps such a body once
/// it is parsed, but the garbage collector returns free memory to the system only while it collects, and a service
/// at rest between polls hardly collects: measured with <c>hostile-memory</c>, a 20,000-item feed, a 12 MiB body and a
/// gzip bomb left some 50 MB resident for good. So a few seconds after such a fetch (once its parsing is done), and at
/// most twice a minute, one full collection that compacts the heap and releases what is free.
/// </summary>
public sealed partial class MemoryReclaimer(TimeProvider clock, ILogger<MemoryReclaimer> logger) : IDisposable
{
    /// <summary>Bodies from this size on are worth a collection.</summary>
    public const long LargeBody = 1024 * 1024;

    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private ITimer? _timer;
    private DateTimeOffset _lastRun = DateTimeOffset.MinValue;
    private int _runs;

    /// <summary>How many collections it has run.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Schedules a collection after a fetch of <paramref name="bytes"/>; a fetch of less than <see cref="LargeBody"/> schedules none.</summary>
    public void AfterFetch(long bytes)
    {
        if (bytes < LargeBody)
        {
            return;
        }

        lock (_lock)
        {
            if (_timer is not null)
            {
                return;
            }

            var gap = _lastRun + MinimumGap - clock.GetUtcNow();
            _timer = clock.CreateTimer(_ => Reclaim(), null, gap > Delay ? gap : Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reclaim()
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _lastRun = clock.GetUtcNow();
        }

        Interlocked.Increment(ref _runs);
        LogReclaimed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collected after a large fetch: resident {Before} MB before, {After} MB after")]
    private static partial void LogReclaimed(ILogger logger, long before, long after);
}
