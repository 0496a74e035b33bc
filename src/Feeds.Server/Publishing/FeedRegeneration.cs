using System.Data;
using System.Diagnostics;
using Feeds.Core.Links;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Quartz;

namespace Feeds.Server.Publishing;

/// <summary>
/// Marks exactly the feeds a post change touches (the firehose, each of its tags before and after, and the combinations
/// and sites' feeds in use that it belongs to before or after) inside the change's transaction, and triggers a render
/// after commit.
/// </summary>
public sealed partial class FeedRegeneration(
    FeedStore store, FeedCache cache, ISchedulerFactory schedulers, TimeProvider clock, ILogger<FeedRegeneration> logger) : IPostChangeHook
{
    /// <summary>
    /// How long imports must pause before their feeds are rendered. An import sends batch after batch, each touching the
    /// firehose and hundreds of tag feeds: rendering after every batch would redo the same feeds over and over and take
    /// half the machine from the import. Their feeds are marked dirty with each batch all the same, any other change
    /// renders them at once, and the periodic sweep renders them during a long import.
    /// </summary>
    public static readonly TimeSpan ImportQuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The one-shot trigger that asks for a run. One key across all nodes of a cluster, so that however many nodes and
    /// changes ask, at most one run waits to start; a run that has begun leaves no trigger pending, so a change after it
    /// stores a new one.
    /// </summary>
    private static readonly TriggerKey RunNowKey = new("regenerate-feeds-now", "feeds");

    /// <summary>
    /// The shortest time between two of this node's scheduling calls. With PostgreSQL each call is a transaction of
    /// Quartz's job store under its cluster-wide lock: under a stream of creates they followed one another, some 250 a
    /// second, 8 % of the database's statement time. Requests made within it are answered together by one call at its
    /// end, so a change waits at most this long for its trigger, and one after a quiet spell not at all.
    /// </summary>
    public static readonly TimeSpan MinScheduleInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Requests not yet followed by a scheduling call that began after them.</summary>
    private int _pendingRequests;

    /// <summary>When the latest scheduling call began (a <see cref="Stopwatch"/> timestamp); 0 before the first.</summary>
    private long _scheduledAt;
    private readonly RenderPacing _pacing = new();
    private long _lastImportAt;
    private int _waitingForImportsToPause;

    public static void Configure(IQuartzBuilder quartz, TimeSpan sweep)
    {
        quartz.AddJob<RegenerateFeedsJob>(job => job.WithIdentity(RegenerateFeedsJob.Key).StoreDurably().RequestRecovery());
        quartz.AddTrigger(trigger => trigger
            .ForJob(RegenerateFeedsJob.Key)
            .WithIdentity("regenerate-feeds-sweep", "feeds")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule.WithInterval(sweep).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        quartz.AddJob<NewMonthJob>(job => job.WithIdentity(NewMonthJob.Key).StoreDurably().RequestRecovery());
        quartz.AddTrigger(trigger => trigger
            .ForJob(NewMonthJob.Key)
            .WithIdentity("new-month", "feeds")
            .WithCronSchedule("0 0 0 1 * ?", cron => cron.InTimeZone(TimeZoneInfo.Utc)));
    }

    /// <summary>
    /// At start-up: remembers the combinations and sites' feeds in use, and when the stored documents were rendered with
    /// other settings (a new install, a new base URL or title, a new version of the renderer) marks every feed dirty, so
    /// the first sweep renders them; until then the stored documents are served.
    /// </summary>
    public async Task PrepareAsync(TagStore tags, string renderedWith, CancellationToken cancellationToken)
    {
        var keys = await store.ListKeysAsync(cancellationToken);
        foreach (var key in keys.Where(FeedKey.IsOnDemand))
        {
            cache.Remember(key);
        }

        if (await store.GetRenderedWithAsync(cancellationToken) != renderedWith)
        {
            var all = (await tags.ListAsync(cancellationToken)).Select(t => FeedKey.ValueFor(t.Slug)).Prepend(FeedKey.Everything.Value).Concat(keys);
            await store.ResetRenderedWithAsync(renderedWith, all.Distinct(StringComparer.Ordinal), cancellationToken);
        }
    }

    /// <summary>The feeds whose documents a change alters.</summary>
    public IReadOnlyCollection<string> AffectedFeeds(IReadOnlyList<PostChange> changes)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.WasPublished || c.IsPublished))
        {
            keys.Add(FeedKey.Everything.Value);
            foreach (var slug in change.AffectedTagSlugs)
            {
                keys.Add(FeedKey.ValueFor(slug));
            }

            foreach (var post in new[] { change.Before, change.After })
            {
                if (post is { Status: Core.Posts.PostStatus.Published } && LinkSites.Of(post.Url) is { Length: > 0 } site
                    && cache.HoldsSite(FeedKey.SiteValueFor(site)))
                {
                    keys.Add(FeedKey.SiteValueFor(site));
                }
            }

            foreach (var combination in cache.CombinationKeys)
            {
                if (FeedKey.TrySlugsOf(combination, out var slugs) && (Carries(change.Before, slugs) || Carries(change.After, slugs)))
                {
                    keys.Add(combination);
                }
            }
        }

        return keys;
    }

    public async Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var keys = AffectedFeeds(changes);
        if (keys.Count > 0)
        {
            await store.MarkDirtyAsync(transaction, keys, cancellationToken);
        }
    }

    public void AfterCommit(IReadOnlyList<PostChange> changes)
    {
        if (!changes.Any(c => c.WasPublished || c.IsPublished))
        {
            return;
        }

        if (changes.All(c => c.Imported))
        {
            RequestRunWhenImportsPause();
        }
        else
        {
            RequestRun();
        }
    }

    /// <summary>Asks for a run once no import batch has arrived for <see cref="ImportQuietPeriod"/>.</summary>
    public void RequestRunWhenImportsPause()
    {
        Volatile.Write(ref _lastImportAt, Stopwatch.GetTimestamp());
        if (Interlocked.Exchange(ref _waitingForImportsToPause, 1) == 0)
        {
            _ = RunWhenImportsPauseAsync();
        }
    }

    private async Task RunWhenImportsPauseAsync()
    {
        for (var quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastImportAt)); quiet < ImportQuietPeriod; quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastImportAt)))
        {
            await Task.Delay(ImportQuietPeriod - quiet);
        }

        // A batch committed from here on has its feeds marked already, so the run about to be requested renders them.
        Interlocked.Exchange(ref _waitingForImportsToPause, 0);
        RequestRun();
    }

    /// <summary>
    /// Makes sure a run starts after this call, on whichever node takes it, unless one is already waiting to start: a
    /// burst of changes costs one render. Requests made while a scheduling call is under way, or within
    /// <see cref="MinScheduleInterval"/> of its start, are answered by one more call after it.
    /// </summary>
    public void RequestRun()
    {
        if (Interlocked.Increment(ref _pendingRequests) == 1)
        {
            _ = ScheduleRunsAsync();
        }
    }

    /// <summary>Runs a render once <see cref="RenderPacing"/> allows.</summary>
    public async Task RunPacedAsync(Func<Task> render, CancellationToken cancellationToken)
    {
        if (_pacing.WaitBefore(Stopwatch.GetTimestamp()) is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await render();
        }
        finally
        {
            _pacing.Ran(started, Stopwatch.GetTimestamp());
        }
    }

    private async Task ScheduleRunsAsync()
    {
        int answered;
        do
        {
            if (_scheduledAt != 0 && Stopwatch.GetElapsedTime(_scheduledAt) is var since && since < MinScheduleInterval)
            {
                await Task.Delay(MinScheduleInterval - since);
            }

            answered = Volatile.Read(ref _pendingRequests);
            _scheduledAt = Stopwatch.GetTimestamp();
            try
            {
                var scheduler = await schedulers.GetScheduler();
                // Keep: a trigger still waiting to fire (here or on another node) will start a run after this request;
                // one whose run has begun is replaced, so the changes it may have missed get a run of their own. "Now" is
                // the scheduler's: the service's clock.
                await scheduler.ScheduleTrigger(
                    TriggerBuilder.Create(clock).WithIdentity(RunNowKey).ForJob(RegenerateFeedsJob.Key).StartNow().Build(),
                    TriggerConflict.Keep);
            }
            catch (Exception e) when (e is SchedulerException or InvalidOperationException or ObjectDisposedException)
            {
                LogTriggerFailed(logger, e);
            }
        }
        while (Interlocked.Add(ref _pendingRequests, -answered) != 0);
    }

    private static bool Carries(Core.Posts.Post? post, string[] slugs) =>
        post is { Status: Core.Posts.PostStatus.Published } && slugs.All(s => post.Tags.Any(t => t.Slug == s));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trigger feed regeneration; the sweep will render the dirty feeds")]
    private static partial void LogTriggerFailed(ILogger logger, Exception exception);
}
