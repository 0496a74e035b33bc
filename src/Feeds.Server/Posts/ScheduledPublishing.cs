using System.Data;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Quartz;

namespace Feeds.Server.Posts;

/// <summary>
/// Keeps one Quartz trigger per scheduled post, at its time. The database is the record: triggers are rebuilt from
/// it at start-up, and a periodic sweep publishes anything a lost trigger missed, so schedules survive restarts.
/// </summary>
public sealed partial class ScheduledPublishing(ISchedulerFactory schedulers, ILogger<ScheduledPublishing> logger) : IPostChangeHook
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    public static void Configure(IQuartzBuilder quartz)
    {
        quartz.AddJob<PublishScheduledPostsJob>(job => job.WithIdentity(PublishScheduledPostsJob.Key).StoreDurably().RequestRecovery());
        quartz.AddTrigger(trigger => trigger
            .ForJob(PublishScheduledPostsJob.Key)
            .WithIdentity("publish-scheduled-posts-sweep", "posts")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule.WithInterval(SweepInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }

    /// <summary>Recreates the trigger of every scheduled post in the database.</summary>
    public async Task RestoreAsync(PostQueries posts, CancellationToken cancellationToken)
    {
        foreach (var (id, at) in await posts.ListScheduledAsync(cancellationToken))
        {
            await ScheduleAsync(id, at, cancellationToken);
        }
    }

    public Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public void AfterCommit(IReadOnlyList<PostChange> changes)
    {
        foreach (var change in changes)
        {
            var id = (change.After ?? change.Before)!.Id;
            var task = change.After is { Status: PostStatus.Scheduled, PublishAt: { } at }
                ? ScheduleAsync(id, at, CancellationToken.None)
                : change.Before is { Status: PostStatus.Scheduled } ? UnscheduleAsync(id) : null;
            task?.ContinueWith(t => LogTriggerFailed(logger, id, t.Exception), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private async Task ScheduleAsync(Guid postId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = TriggerBuilder.Create()
            .ForJob(PublishScheduledPostsJob.Key)
            .WithIdentity(TriggerKeyFor(postId))
            .StartAt(at)
            .WithSimpleSchedule(schedule => schedule.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    private async Task UnscheduleAsync(Guid postId)
    {
        var scheduler = await schedulers.GetScheduler();
        await scheduler.UnscheduleJob(TriggerKeyFor(postId));
    }

    private static TriggerKey TriggerKeyFor(Guid postId) => new($"publish-{postId:N}", "posts");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the publish trigger of post {PostId}; the sweep will publish it")]
    private static partial void LogTriggerFailed(ILogger logger, Guid postId, Exception? exception);
}
