using Quartz;

namespace Feeds.Server.Publishing;

/// <summary>
/// Renders the dirty feeds. One run at a time, across all nodes of a cluster; a burst of changes coalesces into the next
/// run. Idempotent: a run started again after its node died renders what is dirty then, and the marks of a render that
/// never committed are still there.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RegenerateFeedsJob(FeedRegeneration regeneration, FeedPublisher publisher) : IJob
{
    public static readonly JobKey Key = new("regenerate-feeds", "feeds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await regeneration.RunPacedAsync(() => publisher.RegenerateDirtyAsync(cancellationToken), cancellationToken);
}
