using System.Threading.Channels;
using Feeds.Data.Feeds;
using Feeds.Data.Postgres;
using Npgsql;

namespace Feeds.Server.Publishing;

/// <summary>
/// Keeps this node's feeds in step with the other nodes' renders (PostgreSQL): it listens on
/// <see cref="FeedStore.ChangesChannel"/>, where every commit of a feed's documents names the feed, and swaps the stored
/// documents into memory and the static directory. Nothing polls: a notification arrives when the render commits, and the
/// node serves the new documents one read later. A lost connection is opened again, after a pause that grows while the
/// database stays out of reach (<see cref="ReconnectDelay"/>); once listening again, the node catches up: notifications
/// sent meanwhile are lost, so it compares the stored documents' ETags with what it holds in memory and in the static
/// directory, and takes in every feed that changed or went.
/// </summary>
public sealed partial class FeedChangeListener(
    PostgresDatabase database, FeedStore store, FeedCache cache, FeedFiles files, ILogger<FeedChangeListener> logger) : BackgroundService
{
    /// <summary>How long a quiet connection waits before it checks that it is still alive.</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(30);

    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Set once the node listens: a test, or a load balancer's health check, can wait for it.</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The pause before listening again after the <paramref name="failures"/>th failure in a row: 0.25 s, doubling, at most 15 s.</summary>
    public static TimeSpan ReconnectDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, Math.Min(failures - 1, 16)), 15_000));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applying = ApplyChangesAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                var delay = ReconnectDelay(++failures);
                LogListenFailed(logger, delay.TotalSeconds, e);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _changed.Writer.TryComplete();
        await applying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <param name="listening">Called once the connection listens (and has caught up).</param>
    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, e) => _changed.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"listen {FeedStore.ChangesChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        if (_listening.Task.IsCompleted)
        {
            // Back after a lost connection, and listening before looking: a render that commits from here on is announced.
            await CatchUpAsync(stoppingToken);
            LogListeningAgain(logger);
        }

        listening();
        _listening.TrySetResult();
        while (true)
        {
            if (!await connection.WaitAsync(QuietCheck, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("select 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    /// <summary>Queues every feed whose stored documents differ from what this node holds, and every feed it holds that is stored no more.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListETagsAsync(cancellationToken);
        var storedKeys = stored.Select(d => d.FeedKey).ToHashSet(StringComparer.Ordinal);
        var changed = stored
            .Where(d => !cache.IsCurrent(d.FeedKey, d.Format, d.ETag) || !files.IsCurrent(d.FeedKey, d.Format, d.ETag))
            .Select(d => d.FeedKey);
        var gone = cache.HeldKeys.Concat(files.WrittenKeys).Where(key => !storedKeys.Contains(key));
        foreach (var key in changed.Concat(gone).Distinct(StringComparer.Ordinal))
        {
            _changed.Writer.TryWrite(key);
        }
    }

    /// <summary>Applies the changes one feed at a time; a feed named many times while one is applied is read once.</summary>
    private async Task ApplyChangesAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        while (await _changed.Reader.WaitToReadAsync(CancellationToken.None))
        {
            pending.Clear();
            while (_changed.Reader.TryRead(out var key))
            {
                pending.Add(key);
            }

            foreach (var key in pending)
            {
                try
                {
                    await ApplyAsync(key, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogApplyFailed(logger, key, e);
                }
            }
        }
    }

    private async Task ApplyAsync(string feedKey, CancellationToken cancellationToken)
    {
        // Taken before the read: what is read is at least as new as any render here that read the posts before.
        var sequence = RenderedFeed.NextSequence();
        var documents = await store.LoadAllAsync(feedKey, cancellationToken);
        if (documents.Count == 0)
        {
            cache.Remove(feedKey);
            files.Delete(feedKey);
            return;
        }

        foreach (var stored in documents)
        {
            var feed = RenderedFeed.FromStored(stored, sequence);
            cache.Put(feed, onlyIfHeld: true);
            files.Write(feed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' feeds failed; trying again in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, double delaySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other nodes' feeds again; the feeds they rendered meanwhile are taken in")]
    private static partial void LogListeningAgain(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not take in the new documents of {FeedKey}; the stored ones are served when it is read")]
    private static partial void LogApplyFailed(ILogger logger, string feedKey, Exception exception);
}
