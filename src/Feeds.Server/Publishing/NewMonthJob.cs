using Feeds.Data.Feeds;
using Quartz;

namespace Feeds.Server.Publishing;

/// <summary>
/// At the turn of each month (UTC) the month just over becomes an archive document: every stored feed is rendered again,
/// so its subscription document links it. A server that was down at the turn renders them at start-up instead.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NewMonthJob(FeedStore store, FeedRegeneration regeneration) : IJob
{
    public static readonly JobKey Key = new("new-month", "feeds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await store.MarkDirtyAsync(await store.ListKeysAsync(cancellationToken), cancellationToken);
        regeneration.RequestRun();
    }
}
