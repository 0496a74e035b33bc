using Quartz;

namespace Feeds.Server.Publishing;

/// <summary>Renders the dirty feeds. One run at a time; a burst of changes coalesces into the next run.</summary>
[DisallowConcurrentExecution]
public sealed class RegenerateFeedsJob(FeedRegeneration regeneration, FeedPublisher publisher) : IJob
{
    public static readonly JobKey Key = new("regenerate-feeds", "feeds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await regeneration.RunPacedAsync(() => publisher.RegenerateDirtyAsync(cancellationToken), cancellationToken);
}
