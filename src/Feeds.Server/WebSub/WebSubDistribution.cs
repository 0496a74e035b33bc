using System.Data;
using System.Runtime.CompilerServices;
using Feeds.Data.Delivery;
using Feeds.Data.Feeds;
using Feeds.Data.WebSub;
using Feeds.Server.Delivery;
using Feeds.Server.Hosting;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Queues what a new feed document means for WebSub, in the transaction that stores it, so no document is stored
/// without its distributions (WebSub section 7): with the built-in hub, one distribution per subscriber of the document,
/// coalesced with any still pending; with an external hub, one ping of it per topic. Wakes the dispatcher after commit.
/// </summary>
/// <remarks>It runs inside the feed store's writes, so it depends on nothing that reads posts or tags.</remarks>
public sealed class WebSubDistribution(
    WebSubSubscriptionStore subscriptions,
    OutboxStore outbox,
    IOptions<FeedsOptions> site,
    IOptions<WebSubOptions> options,
    OutboxSignal signal,
    TimeProvider clock) : IFeedSavedHook
{
    /// <summary>The delivery kind of pings of an external hub, which name their topic as destination.</summary>
    public const string PingKind = "websub-ping";

    private readonly ConditionalWeakTable<IReadOnlyList<StoredFeed>, object> _queued = [];

    public async Task OnSavedAsync(IReadOnlyList<StoredFeed> documents, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queued = options.Value.ExternalHub is null
            ? await subscriptions.QueueDistributionsAsync(connection, transaction, documents.Select(d => (d.FeedKey, d.Format)), now, cancellationToken)
            : await outbox.EnqueueAsync(transaction, documents.Select(d => FeedUrls.Feed(site.Value.BaseUrlTrimmed, d.FeedKey, d.Format)).Select(
                topic => new NewDelivery(PingKind, topic, $"{PingKind}:{topic}", topic)), now, cancellationToken);
        if (queued > 0)
        {
            _queued.AddOrUpdate(documents, documents);
        }
    }

    public void AfterCommit(IReadOnlyList<StoredFeed> documents)
    {
        if (_queued.Remove(documents))
        {
            signal.Raise();
        }
    }
}
