using System.Threading.Channels;
using Feeds.Data.Webhooks;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Delivers due outbox messages. It sleeps until woken (a post change committed, an attempt finished, a replay) or
/// until the next retry falls due, bounded by the sweep interval, so a restart or a missed wake-up only delays
/// delivery, never loses it. Every attempt runs on its own, within a per-endpoint and a global limit, so an
/// endpoint that hangs holds only its own slots. Results are stored in batches by a single writer.
/// </summary>
/// <remarks>
/// Delivery is at least once: a message stays pending until its attempt is recorded, so a crash between sending
/// and recording sends it again after restart, under the same <c>webhook-id</c>. Every node of a cluster runs a
/// dispatcher; each message is claimed by one of them (<see cref="ClaimLease"/>, renewed while its attempt runs), so no
/// two nodes send it at once, and a dead node's claims run out and its messages are sent by another.
/// </remarks>
public sealed partial class WebhookDispatcher(
    WebhookStore store,
    WebhookSender sender,
    WebhookRetryPolicy retryPolicy,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    /// <summary>How long a claim holds unless renewed: how long a dead node's messages wait for another node.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    /// <summary>How often the claims of messages in flight are renewed, well within <see cref="ClaimLease"/>.</summary>
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    /// <summary>This process among the nodes, in the claims it makes.</summary>
    private readonly string _node = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Channel<(DueMessage Message, AttemptRecord Record)> _results =
        Channel.CreateUnbounded<(DueMessage, AttemptRecord)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _inFlightPerEndpoint = [];
    private readonly HashSet<string> _releasedDuringQuery = new(StringComparer.Ordinal);
    private readonly WebhookOptions _options = options.Value;

    /// <summary>Asks the dispatcher to look for due messages now. Cheap and safe to call from anywhere, any number of times.</summary>
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.ReleaseClaimsOfTheDeadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Those claims run out on their own.
            LogDispatchFailed(logger, e);
        }

        var recorder = RecordResultsAsync();
        var renewing = RenewClaimsAsync(stoppingToken);
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
                    LogDispatchFailed(logger, e);
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
            // Attempts cut short by the shutdown record nothing; their messages stay pending for the next start.
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

    /// <summary>Starts attempts for due messages as far as the limits allow, and says how long to sleep afterwards.</summary>
    private async Task<TimeSpan> DispatchDueAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        int free;
        lock (_lock)
        {
            free = _options.GlobalConcurrency - _inFlight.Count;
            // Everything released so far was recorded before the query below starts, so the query sees it as done.
            _releasedDuringQuery.Clear();
        }

        if (free > 0)
        {
            // Messages in flight anywhere count against their endpoint's limit, so at most that many more are claimed.
            var due = await store.ClaimDueAsync(_node, now, now + ClaimLease, _options.ConcurrencyPerEndpoint, free, stoppingToken);
            var notStarted = new List<string>();
            foreach (var message in due)
            {
                if (!TryStart(message, stoppingToken))
                {
                    notStarted.Add(message.Id);
                }
            }

            await store.ReleaseAsync(_node, notStarted, stoppingToken);
        }

        var next = await store.NextDueAfterAsync(now, stoppingToken);
        var untilNext = next is { } at ? at - clock.GetUtcNow() : _options.SweepInterval;
        // Messages due now whose slots are all taken are not counted here: the attempt that frees a slot wakes us.
        var soonest = TimeSpan.FromMilliseconds(1);
        return untilNext < soonest ? soonest : untilNext > _options.SweepInterval ? _options.SweepInterval : untilNext;
    }

    /// <returns>False when the message was not started: the global limit is reached, or it is under way already.</returns>
    private bool TryStart(DueMessage message, CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            var endpointId = message.Target.EndpointId;
            var forEndpoint = _inFlightPerEndpoint.GetValueOrDefault(endpointId);
            // A message released while the query ran may have been read as pending just before its result was
            // stored; starting it again would send a delivered message twice.
            if (_inFlight.Count >= _options.GlobalConcurrency || _inFlight.ContainsKey(message.Id)
                || _releasedDuringQuery.Contains(message.Id) || forEndpoint >= _options.ConcurrencyPerEndpoint)
            {
                return false;
            }

            _inFlightPerEndpoint[endpointId] = forEndpoint + 1;
            // Registered before it runs, so Release (which may come first) always finds it.
            var attempt = new TaskCompletionSource();
            _inFlight[message.Id] = attempt.Task;
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(message, stoppingToken);
                }
                finally
                {
                    attempt.TrySetResult();
                }
            }, CancellationToken.None);
            return true;
        }
    }

    private async Task DeliverAsync(DueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var result = await sender.SendAsync(message.Id, message.Body, message.Target, stoppingToken);
            var record = retryPolicy.Decide(result, message.RetryStep);
            if (result.Error is { } error)
            {
                LogAttemptFailed(logger, message.Id, message.Target.EndpointId, error.Code, error.Description, record.Outcome);
            }

            if (_results.Writer.TryWrite((message, record)))
            {
                return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogAttemptCrashed(logger, message.Id, e);
        }

        Release([message]);
    }

    /// <summary>Keeps the claims of the attempts under way from running out while they last (a slow endpoint, a long timeout).</summary>
    private async Task RenewClaimsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RenewEvery, stoppingToken);
            if (InFlight == 0)
            {
                continue;
            }

            try
            {
                await store.RenewAsync(_node, clock.GetUtcNow() + ClaimLease, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRenewFailed(logger, e);
            }
        }
    }

    /// <summary>The single writer of attempt results: drains whatever has finished and stores it in one transaction.</summary>
    private async Task RecordResultsAsync()
    {
        var batch = new List<(DueMessage Message, AttemptRecord Record)>(MaxBatch);
        while (await _results.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _results.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var now = clock.GetUtcNow();
                var disabled = await store.RecordAsync(
                    [.. batch.Select(b => b.Record)], now - _options.DisableAfterFailingFor, FailingReason, CancellationToken.None);
                foreach (var (endpointId, reason) in disabled)
                {
                    LogEndpointDisabled(logger, endpointId, reason);
                }
            }
            catch (Exception e)
            {
                // The messages stay pending and are tried again; a short pause keeps a broken database from turning that into a spin.
                LogRecordFailed(logger, batch.Count, e);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            finally
            {
                Release(batch.Select(b => b.Message));
            }
        }
    }

    private string FailingReason => $"every attempt failed for {_options.DisableAfterFailingFor}";

    private void Release(IEnumerable<DueMessage> messages)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                if (_inFlight.Remove(message.Id))
                {
                    _releasedDuringQuery.Add(message.Id);
                    var endpointId = message.Target.EndpointId;
                    var left = _inFlightPerEndpoint.GetValueOrDefault(endpointId) - 1;
                    if (left > 0)
                    {
                        _inFlightPerEndpoint[endpointId] = left;
                    }
                    else
                    {
                        _inFlightPerEndpoint.Remove(endpointId);
                    }
                }
            }
        }

        Wake();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook message {MessageId} to endpoint {EndpointId} failed ({ErrorClass}: {Error}); outcome {Outcome}")]
    private static partial void LogAttemptFailed(ILogger logger, string messageId, Guid endpointId, string errorClass, string error, AttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook message {MessageId} could not be attempted; it stays pending")]
    private static partial void LogAttemptCrashed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, Guid endpointId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook attempt results; the messages stay pending and will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the claims of the webhook messages in flight; another node may send them too")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due webhook messages failed; trying again shortly")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
