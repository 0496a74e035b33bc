using System.Threading.Channels;

namespace Feeds.Server.Delivery;

/// <summary>
/// The machinery every kind of outbound delivery shares (webhook messages, WebSub distributions, and any later kind):
/// it sleeps until woken (a change committed, an attempt finished, a replay) or until the next retry falls due, bounded
/// by the sweep interval, so a restart or a missed wake-up only delays delivery, never loses it. Each attempt runs on
/// its own, within a per-destination and a global limit, so a destination that hangs holds only its own slots. Results
/// are stored in batches by a single writer.
/// </summary>
/// <remarks>
/// Delivery is at least once: a delivery stays pending in its table until its attempt is recorded, so a crash between
/// sending and recording sends it again after restart. Subclasses say where due deliveries are found, how one is
/// attempted and how results are stored; the order, the limits, the claims and the bookkeeping of what is in flight are
/// here. Every node of a cluster runs the loop over the one database, so deliveries are claimed as they are listed
/// (<see cref="ClaimDueAsync"/>) for <see cref="ClaimLease"/>: those not started are given back at once
/// (<see cref="ReleaseAsync"/>), those under way keep their claims renewed (<see cref="RenewClaimsAsync"/>) until their
/// result is stored, and a dead node's claims run out, after which another node attempts its deliveries. No two nodes
/// attempt one delivery at once.
/// </remarks>
/// <typeparam name="TDue">A delivery whose time has come, with everything its attempt needs.</typeparam>
/// <typeparam name="TRecord">The result of one attempt, as it is to be stored.</typeparam>
public abstract partial class DeliveryLoop<TDue, TRecord>(DeliveryLimits limits, TimeProvider clock, ILogger logger) : BackgroundService
    where TDue : notnull
{
    private const int MaxBatch = 500;

    /// <summary>How long a claim holds unless renewed: how long a dead node's deliveries wait for another node.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    /// <summary>How often the claims of deliveries in flight are renewed: a few times within a lease.</summary>
    private static readonly TimeSpan RenewClaimsEvery = TimeSpan.FromSeconds(5);

    /// <summary>This loop among the nodes, in the claims it makes.</summary>
    private readonly string _node = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Channel<(TDue Due, TRecord Record)> _results =
        Channel.CreateUnbounded<(TDue, TRecord)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlightPerDestination = new(StringComparer.Ordinal);
    private readonly HashSet<string> _releasedDuringQuery = new(StringComparer.Ordinal);

    protected TimeProvider Clock => clock;

    /// <summary>Asks the loop to look for due deliveries now. Cheap and safe to call from anywhere, any number of times.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Deliveries currently in flight (sent, or waiting for their result to be stored).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>The delivery's id: unique among those of this loop.</summary>
    protected abstract string IdOf(TDue due);

    /// <summary>What the per-destination limit counts by (an endpoint, a subscription).</summary>
    protected abstract string DestinationOf(TDue due);

    /// <summary>
    /// Claims due deliveries for <paramref name="node"/> until <paramref name="claimUntil"/>, at most
    /// <paramref name="perDestination"/> per destination in flight across all nodes and oldest first within each, so one
    /// destination's backlog never crowds out another's first delivery. A delivery another node holds a live claim on
    /// is not listed.
    /// </summary>
    protected abstract Task<IReadOnlyList<TDue>> ClaimDueAsync(
        string node, DateTimeOffset now, DateTimeOffset claimUntil, int perDestination, int take, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery falls due after <paramref name="now"/>, if any does.</summary>
    protected abstract Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes one attempt and decides what it means; null when there is nothing to record.</summary>
    /// <exception cref="OperationCanceledException">The service is stopping; nothing is recorded.</exception>
    protected abstract Task<TRecord?> AttemptAsync(TDue due, CancellationToken stoppingToken);

    /// <summary>Stores a batch of results in one transaction.</summary>
    protected abstract Task RecordAsync(IReadOnlyList<TRecord> records, CancellationToken cancellationToken);

    /// <summary>Runs once before the first look: gives back the claims a dead process left behind, where that is known.</summary>
    protected abstract Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken);

    /// <summary>Gives back claims of <paramref name="node"/> on deliveries not started, so they are due again at once.</summary>
    protected abstract Task ReleaseAsync(string node, IReadOnlyList<TDue> notStarted, CancellationToken cancellationToken);

    /// <summary>Extends the claims of <paramref name="node"/>'s deliveries in flight to <paramref name="claimUntil"/>.</summary>
    protected abstract Task RenewClaimsAsync(string node, DateTimeOffset claimUntil, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReleaseClaimsOfTheDeadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDispatchFailed(logger, GetType().Name, e);
        }

        var recorder = RecordResultsAsync();
        var renewing = RenewLoopAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    wait = await DispatchDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDispatchFailed(logger, GetType().Name, e);
                    wait = TimeSpan.FromSeconds(1);
                }

                await WaitForWakeAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Attempts cut short by the shutdown record nothing; their deliveries stay pending for the next start.
            Task[] running;
            lock (_lock)
            {
                running = [.. _inFlight.Values];
            }

            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _results.Writer.TryComplete();
            await recorder;
            await renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Starts attempts for due deliveries as far as the limits allow, and says how long to sleep afterwards.</summary>
    private async Task<TimeSpan> DispatchDueAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        int free;
        int inFlight;
        lock (_lock)
        {
            inFlight = _inFlight.Count;
            free = limits.GlobalConcurrency - inFlight;
            // Everything released so far was recorded before the query below starts, so the query sees it as done.
            _releasedDuringQuery.Clear();
        }

        if (free > 0)
        {
            // In-flight deliveries are still pending in the table and rank first within their destination; asking for
            // that many more rows than there are free slots keeps them from hiding deliveries that could start.
            var due = await ClaimDueAsync(_node, now, now + ClaimLease, limits.ConcurrencyPerDestination, free + inFlight, stoppingToken);
            var notStarted = due.Where(delivery => !TryStart(delivery, stoppingToken)).ToList();
            if (notStarted.Count > 0)
            {
                await ReleaseAsync(_node, notStarted, stoppingToken);
            }
        }

        var next = await NextDueAfterAsync(now, stoppingToken);
        var untilNext = next is { } at ? at - clock.GetUtcNow() : limits.SweepInterval;
        // Deliveries due now whose slots are all taken are not counted here: the attempt that frees a slot wakes us.
        var soonest = TimeSpan.FromMilliseconds(1);
        return untilNext < soonest ? soonest : untilNext > limits.SweepInterval ? limits.SweepInterval : untilNext;
    }

    /// <returns>False when the delivery was not started: the global limit is reached, it is under way already, or its
    /// destination has all the attempts it may have.</returns>
    private bool TryStart(TDue due, CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            var id = IdOf(due);
            var destination = DestinationOf(due);
            var forDestination = _inFlightPerDestination.GetValueOrDefault(destination);
            // A delivery released while the query ran may have been read as pending just before its result was
            // stored; starting it again would send a delivered one twice.
            if (_inFlight.Count >= limits.GlobalConcurrency || _inFlight.ContainsKey(id) || _releasedDuringQuery.Contains(id)
                || forDestination >= limits.ConcurrencyPerDestination)
            {
                return false;
            }

            _inFlightPerDestination[destination] = forDestination + 1;
            // Registered before it runs, so Release (which may come first) always finds it.
            var attempt = new TaskCompletionSource();
            _inFlight[id] = attempt.Task;
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(due, stoppingToken);
                }
                finally
                {
                    attempt.TrySetResult();
                }
            }, CancellationToken.None);
            return true;
        }
    }

    private async Task DeliverAsync(TDue due, CancellationToken stoppingToken)
    {
        try
        {
            if (await AttemptAsync(due, stoppingToken) is { } record && _results.Writer.TryWrite((due, record)))
            {
                return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogAttemptCrashed(logger, GetType().Name, IdOf(due), e);
        }

        Release([due]);
    }

    /// <summary>The single writer of attempt results: drains whatever has finished and stores it in one transaction.</summary>
    private async Task RecordResultsAsync()
    {
        var batch = new List<(TDue Due, TRecord Record)>(MaxBatch);
        while (await _results.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _results.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await RecordAsync([.. batch.Select(b => b.Record)], CancellationToken.None);
            }
            catch (Exception e)
            {
                // The deliveries stay pending and are tried again; a short pause keeps a broken database from turning that into a spin.
                LogRecordFailed(logger, GetType().Name, batch.Count, e);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            finally
            {
                Release(batch.Select(b => b.Due));
            }
        }
    }

    private void Release(IEnumerable<TDue> deliveries)
    {
        lock (_lock)
        {
            foreach (var due in deliveries)
            {
                var id = IdOf(due);
                if (_inFlight.Remove(id))
                {
                    _releasedDuringQuery.Add(id);
                    var destination = DestinationOf(due);
                    var left = _inFlightPerDestination.GetValueOrDefault(destination) - 1;
                    if (left > 0)
                    {
                        _inFlightPerDestination[destination] = left;
                    }
                    else
                    {
                        _inFlightPerDestination.Remove(destination);
                    }
                }
            }
        }

        Wake();
    }

    private async Task RenewLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RenewClaimsEvery, clock, stoppingToken);
            if (InFlight == 0)
            {
                continue;
            }

            try
            {
                await RenewClaimsAsync(_node, clock.GetUtcNow() + ClaimLease, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRenewFailed(logger, GetType().Name, e);
            }
        }
    }

    private async Task WaitForWakeAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (_wake.Reader.TryRead(out _))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(wait);
        try
        {
            await _wake.Reader.WaitToReadAsync(timeout.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Loop}: delivery {DeliveryId} could not be attempted; it stays pending")]
    private static partial void LogAttemptCrashed(ILogger logger, string loop, string deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Loop}: could not store {Count} attempt results; the deliveries stay pending and will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, string loop, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Loop}: renewing the claims of deliveries in flight failed; they may run out and be sent by another node too")]
    private static partial void LogRenewFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Loop}: looking for due deliveries failed; trying again shortly")]
    private static partial void LogDispatchFailed(ILogger logger, string loop, Exception exception);
}
