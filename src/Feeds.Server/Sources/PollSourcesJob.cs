using Quartz;

namespace Feeds.Server.Sources;

/// <summary>Polls every due source; one run at a time, so a slow round is never overtaken by the next.</summary>
[DisallowConcurrentExecution]
public sealed class PollSourcesJob(SourcePoller poller) : IJob
{
    public static readonly JobKey Key = new("poll-sources", "sources");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await poller.PollDueAsync(asOf: null, cancellationToken);

    public static void Configure(IQuartzBuilder quartz, TimeSpan sweep)
    {
        quartz.AddJob<PollSourcesJob>(job => job.WithIdentity(Key).StoreDurably().RequestRecovery());
        quartz.AddTrigger(trigger => trigger
            .ForJob(Key)
            .WithIdentity("poll-sources-sweep", "sources")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule.WithInterval(sweep).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }
}
