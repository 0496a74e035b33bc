using System.Threading.Channels;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Feeds.Data.Postgres;
using Npgsql;

namespace Feeds.Server.Publishing;

/// <summary>
/// Keeps this node's feeds in step with the other nodes' renders (PostgreSQL): it listens on
/// <see cref="FeedStore.ChangesChannel"/>, where every commit of a feed's documents names the feed, and swaps the stored
/// documents into memory and the static directory. Nothing polls: a notification arrives when the render commits, and the
/// node serves the new documents one read later. After a lost connection it listens again and takes the firehose afresh
/// and forgets the other feeds it held, which are read from the database when next asked for: notifications sent while
/// it was not listening are lost.
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applying = ApplyChangesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _changed.Writer.TryComplete();
        await applying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, e) => _changed.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"listen {FeedStore.ChangesChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        if (_listening.Task.IsCompleted)
        {
            // Back after a lost connection: what changed meanwhile was never announced to this node.
            cache.ForgetAllButFirehose();
            _changed.Writer.TryWrite(FeedKey.Everything.Value);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' feeds failed; listening again in a second")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not take in the new documents of {FeedKey}; the stored ones are served when it is read")]
    private static partial void LogApplyFailed(ILogger logger, string feedKey, Exception exception);
}
