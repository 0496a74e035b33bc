using System.Threading.Channels;
using Feeds.Data.Feeds;
using Feeds.Server.Hosting;
using Feeds.Server.Http;

namespace Feeds.Server.Publishing;

/// <summary>
/// Keeps this node's feeds in step with the other nodes' renders (PostgreSQL): every commit of a feed's documents names
/// the feed on <see cref="FeedStore.ChangesChannel"/>, and this swaps the stored documents into memory and the static
/// directory, one read after the render commits; its own renders it leaves alone, as they are in memory already.
/// Notifications sent while the node could not hear them are lost (<see cref="ClusterNotifications"/>), so once
/// listening again it compares the stored documents' ETags with what it holds in memory and in the static directory,
/// and takes in every feed that changed or went. A render elsewhere means posts changed elsewhere: the content version
/// moves on, so pages and API reads cached here are answered afresh.
/// </summary>
public sealed partial class FeedChangeListener(
    FeedStore store, FeedCache cache, FeedFiles files, ApiCaching.ContentVersion contentVersion, ILogger<FeedChangeListener> logger)
    : BackgroundService, IClusterNotificationHandler
{
    private readonly Channel<string> _changed = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public string Channel => FeedStore.ChangesChannel;

    public void Notified(string payload)
    {
        if (store.ChangedFeed(payload) is { } feedKey)
        {
            _changed.Writer.TryWrite(feedKey);
        }
    }

    public Task ListeningAsync(bool again, CancellationToken cancellationToken) => again ? CatchUpAsync(cancellationToken) : Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var stopping = stoppingToken.Register(() => _changed.Writer.TryComplete());
        await ApplyChangesAsync(stoppingToken);
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

            contentVersion.Bump();
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not take in the new documents of {FeedKey}; the stored ones are served when it is read")]
    private static partial void LogApplyFailed(ILogger logger, string feedKey, Exception exception);
}
