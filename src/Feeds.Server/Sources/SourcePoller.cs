using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Feeds.Core.Parsing;
using Feeds.Core.Posts;
using Feeds.Core.Sources;
using Feeds.Data.Sources;
using Feeds.Core.WebSub;
using Feeds.Outbound;
using Feeds.Server.Sources.Push;
using Microsoft.Extensions.Options;
using Quartz;

namespace Feeds.Server.Sources;

/// <summary>
/// Polls sources: fetches each (several at once, within a global and a per-host limit), reads what changed, turns new
/// items into posts and stores the poll, posts included, in one transaction. A failure of one source (unreachable,
/// hostile, unreadable) is recorded on that source and touches nothing else.
/// </summary>
public sealed partial class SourcePoller(
    SourceStore store,
    SourceFetcher fetcher,
    PollSchedule schedule,
    IOptions<SourceOptions> options,
    ISchedulerFactory schedulers,
    SourceSubscriber subscriber,
    TimeProvider clock,
    ILogger<SourcePoller> logger) : IDisposable
{
    /// <summary>Dedupe keys longer than this are stored as their hash.</summary>
    private const int MaxKeyLength = 512;

    private const int DueBatch = 1000;

    private readonly SourceOptions _options = options.Value;
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentPolls);
    private readonly TokenBucketRateLimiter _pace = new(new TokenBucketRateLimiterOptions
    {
        // Replenished ten times a second, so a round starts polls evenly rather than in one burst per second.
        TokenLimit = Math.Max(1, options.Value.MaxPollsPerSecond / 10),
        TokensPerPeriod = Math.Max(1, options.Value.MaxPollsPerSecond / 10),
        ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, options.Value.MaxPollsPerSecond / 10) / (double)options.Value.MaxPollsPerSecond),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
    private readonly Lock _hostsLock = new();
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Polls every source due at <paramref name="asOf"/> (now by default), each at most once; sources that fall due
    /// while the round runs are polled too.
    /// </summary>
    public async Task<PollRound> PollDueAsync(DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var polled = new HashSet<long>();
        var newPosts = 0;
        var failed = 0;
        while (true)
        {
            var due = await store.ListDueAsync(asOf ?? clock.GetUtcNow(), DueBatch, cancellationToken);
            var fresh = due.Where(s => polled.Add(s.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            var results = await Task.WhenAll(fresh.Select(source => PollAsync(source, paced: true, cancellationToken)));
            newPosts += results.Sum(r => r.NewPosts);
            failed += results.Count(r => r.Status is PollStatus.Error or PollStatus.Gone);
        }

        if (polled.Count > 0)
        {
            LogRound(logger, polled.Count, newPosts, failed);
        }

        return new PollRound(polled.Count, newPosts, failed);
    }

    /// <summary>Polls one source now, whether it is due or not, stopped or not.</summary>
    public async Task<PollResult?> PollNowAsync(long id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } source ? await PollAsync(source, paced: false, cancellationToken) : null;

    /// <summary>Asks the polling job to run now, for sources that were just added.</summary>
    public void RequestRound() => _ = TriggerAsync();

    /// <summary>Asks the subscriber to act now when a write left <paramref name="source"/> wanting a WebSub subscription.</summary>
    public void AfterWrite(Source? source)
    {
        if (source?.Push is { State: PushState.Wanted })
        {
            subscriber.Kick();
        }
    }

    /// <summary>
    /// Reads content the source's hub pushed, exactly as a poll reads a fetched body: the same checks, the same items
    /// and posts, the same fetch state (a push counts as a successful check).
    /// </summary>
    /// <param name="body">Handed over: disposed once read.</param>
    public async Task<PollResult> ReceivePushAsync(Source source, PooledBody body, string? contentType, CancellationToken cancellationToken)
    {
        var url = new Uri(source.Url);
        using var pushed = new FetchResult
        {
            Outcome = FetchOutcome.Modified,
            HttpStatus = StatusCodes.Status200OK,
            Body = body,
            BodySha256 = Convert.ToHexStringLower(SHA256.HashData(body.Span)),
            ContentType = contentType,
            FinalUrl = url,
            PermanentUrl = url,
            ETag = source.Fetch.ETag,
            LastModified = source.Fetch.LastModified,
            Pushed = true,
        };
        return await ReadAndStoreAsync(source, pushed, cancellationToken);
    }

    /// <summary>Fetches within the limits, then reads and stores what came back.</summary>
    /// <param name="paced">Whether the poll waits its turn under <see cref="SourceOptions.MaxPollsPerSecond"/>.</param>
    public async Task<PollResult> PollAsync(Source source, bool paced, CancellationToken cancellationToken)
    {
        try
        {
            using var fetched = await FetchAsync(source, paced, cancellationToken);
            return await ReadAndStoreAsync(source, fetched, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPollCrashed(logger, source.Id, e);
            return new PollResult(PollStatus.Error, null, 0, 0, 0, "The poll could not be completed; it will be tried again.", source);
        }
    }

    /// <summary>Reads what a fetch (or a push) brought and stores it: the one path every document of a source takes.</summary>
    private async Task<PollResult> ReadAndStoreAsync(Source source, FetchResult fetched, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (record, status, error) = await ReadAsync(source, fetched, now, cancellationToken);
        var write = await StoreAsync(source, record.Poll, cancellationToken);
        if (error is not null)
        {
            LogPollFailed(logger, source.Id, source.Url, error);
        }

        if (record.InvalidItems > 0)
        {
            LogInvalidItems(logger, source.Id, record.InvalidItems);
        }

        AfterWrite(write.Source);
        return new PollResult(status, fetched.HttpStatus, write.NewPosts, write.UpdatedPosts, record.InvalidItems, error, write.Source);
    }

    private async Task<FetchResult> FetchAsync(Source source, bool paced, CancellationToken cancellationToken)
    {
        var url = new Uri(source.Url);
        if (paced)
        {
            // A token is spent by taking it; the lease holds nothing to give back.
            using var turn = await _pace.AcquireAsync(1, cancellationToken);
        }

        using (await EnterAsync(url.Host, cancellationToken))
        {
            return await fetcher.FetchAsync(url, source.Fetch.ETag, source.Fetch.LastModified, cancellationToken);
        }
    }

    /// <summary>A poll that read nothing and moved nothing is only new fetch state; anything else goes through the full write.</summary>
    private async Task<SourceWrite> StoreAsync(Source source, SourcePollRecord poll, CancellationToken cancellationToken)
    {
        if (poll.Items.Count > 0 || poll.Feed is not null)
        {
            return await store.RecordPollAsync(source.Id, poll, cancellationToken);
        }

        return await store.RecordFetchAsync(source.Id, poll.Fetch, cancellationToken)
            ? new SourceWrite(source with { Fetch = poll.Fetch })
            : new SourceWrite(null);
    }

    /// <summary>
    /// The first poll of a source that is being added or moved to another feed, from the fetch that found its feed:
    /// stored together with the source, so its items are known from the start.
    /// </summary>
    public async Task<SourcePollRecord> FirstPollAsync(Source source, FetchResult fetched, ParsedFeed feed, CancellationToken cancellationToken) =>
        (await ReadFeedAsync(source, fetched, feed, clock.GetUtcNow(), cancellationToken)).Poll;

    private async Task<(PlannedPoll Record, PollStatus Status, string? Error)> ReadAsync(
        Source source, FetchResult fetched, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (fetched.Outcome == FetchOutcome.Failed)
        {
            var gone = fetched.HttpStatus == 410;
            var error = gone
                ? "The feed answered 410 Gone: it was removed for good, so polling has stopped. Refresh the source or give it a new URL to start again."
                : Describe(fetched.Error!, fetched.RetryAfter);
            return (Failure(source, fetched, error, now, stop: gone), gone ? PollStatus.Gone : PollStatus.Error, error);
        }

        if (fetched.Outcome == FetchOutcome.NotModified || fetched.BodySha256 == source.Fetch.BodySha256)
        {
            return (NotModified(source, fetched, now), PollStatus.NotModified, null);
        }

        ParsedFeed feed;
        try
        {
            feed = FeedParser.Parse(fetched.Body!.Memory, fetched.FinalUrl, fetched.ContentType);
        }
        catch (FeedParseException e)
        {
            var error = $"The feed could not be read: {e.Message}";
            return (Failure(source, fetched, error, now, stop: false), PollStatus.Error, error);
        }
        finally
        {
            // The parsed feed keeps nothing of the body: give it back before the database write, which may wait its turn.
            fetched.Dispose();
        }

        return (await ReadFeedAsync(source, fetched, feed, now, cancellationToken), PollStatus.Ok, null);
    }

    private async Task<PlannedPoll> ReadFeedAsync(Source source, FetchResult fetched, ParsedFeed feed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var suggestion = PollSchedule.Suggest(feed, now);
        var (next, interval) = schedule.AfterSuccess(source, suggestion, fetched.MaxAge, now);
        var info = new SourceFeedInfo(fetched.PermanentUrl.AbsoluteUri, feed.SiteUrl?.AbsoluteUri ?? source.SiteUrl, feed.Title);
        var (items, invalid) = await PlanItemsAsync(source with { FeedTitle = feed.Title ?? source.FeedTitle, SiteUrl = info.SiteUrl }, feed, cancellationToken);
        var fetch = new SourceFetchState
        {
            ETag = fetched.ETag,
            LastModified = fetched.LastModified,
            BodySha256 = fetched.BodySha256,
            SuggestedIntervalMinutes = suggestion?.Minutes,
            SuggestedBy = suggestion?.Reason.Code,
            LastStatus = fetched.HttpStatus,
            LastCheckedAt = now,
            LastSuccessAt = now,
            NextCheckAt = next,
            EffectiveIntervalMinutes = PollSchedule.Minutes(interval.Wait),
            IntervalReason = interval.Reason.Code,
            Warnings = feed.Warnings,
        };
        var hub = fetched.Pushed
            ? null
            : WebSubLinks.Discover(fetched.Links, fetched.FinalUrl, feed.HubUrl, feed.SelfUrl) is { } links
                ? new SourceHub(links.Hub.AbsoluteUri, links.Self.AbsoluteUri)
                : SourceHub.None;
        return new PlannedPoll(new SourcePollRecord(fetch, info, items, hub), invalid);
    }

    /// <summary>
    /// The items of a document that need storing: those never seen (as posts when they are new enough and valid), and
    /// those seen whose content changed. Posts are planned oldest first, so they list newest first.
    /// </summary>
    private async Task<(List<IncomingItem> Items, int Invalid)> PlanItemsAsync(Source source, ParsedFeed feed, CancellationToken cancellationToken)
    {
        var keyed = feed.Items
            .Select((item, index) => (Item: item, Index: index, Key: KeyOf(item.DedupeKey)))
            .DistinctBy(i => i.Key, StringComparer.Ordinal)
            .OrderBy(i => i.Item.Published ?? i.Item.Updated ?? DateTimeOffset.MinValue)
            .ThenByDescending(i => i.Index)
            .ToList();
        var known = await store.GetItemStatesAsync(source.Id, [.. keyed.Select(i => i.Key)], cancellationToken);
        var settings = new SourcePostSettings(
            source.DisplayTitle, source.Url, source.SiteUrl, [.. source.Tags.Select(t => t.Name)], source.Mode, _options.MapCategoriesToTags);
        // The first document a source reads is its backlog: undated items in it are as old as the subscription.
        var firstDocument = source.Fetch.BodySha256 is null;
        var now = clock.GetUtcNow();
        var items = new List<IncomingItem>();
        var invalid = 0;
        foreach (var (item, _, key) in keyed)
        {
            var hash = ItemPosts.ContentHash(item);
            var seen = known.TryGetValue(key, out var state);
            if (seen && state!.ContentHash == hash)
            {
                continue;
            }

            var date = item.Published ?? item.Updated;
            var wanted = seen || source.Backfill || (date is { } d ? d >= source.CreatedAt : !firstDocument);
            var post = wanted ? PostRules.Validate(ItemPosts.ToInput(item, settings), now, out _) : null;
            if (wanted && !seen && post is null)
            {
                invalid++;
            }

            items.Add(new IncomingItem(key, hash, post, post is null ? null : ItemPosts.SummaryOf(item)));
        }

        return (items, invalid);
    }

    private PlannedPoll NotModified(Source source, FetchResult fetched, DateTimeOffset now)
    {
        var moved = fetched.PermanentUrl.AbsoluteUri != source.Url;
        var (next, interval) = schedule.AfterSuccess(source, FeedSuggestion.From(source.Fetch), fetched.MaxAge, now);
        var fetch = source.Fetch with
        {
            ETag = fetched.ETag ?? source.Fetch.ETag,
            LastModified = fetched.LastModified ?? source.Fetch.LastModified,
            LastStatus = fetched.HttpStatus,
            LastCheckedAt = now,
            LastSuccessAt = now,
            NextCheckAt = next,
            EffectiveIntervalMinutes = PollSchedule.Minutes(interval.Wait),
            IntervalReason = interval.Reason.Code,
            ErrorCount = 0,
            LastError = null,
            Stopped = false,
        };
        return new PlannedPoll(new SourcePollRecord(fetch, moved ? new SourceFeedInfo(fetched.PermanentUrl.AbsoluteUri, null, null) : null, []), 0);
    }

    private PlannedPoll Failure(Source source, FetchResult fetched, string error, DateTimeOffset now, bool stop)
    {
        var errors = source.Fetch.ErrorCount + 1;
        var (next, interval) = schedule.AfterFailure(source, errors, fetched.RetryAfter, now);
        var fetch = source.Fetch with
        {
            LastStatus = fetched.HttpStatus,
            LastCheckedAt = now,
            NextCheckAt = stop ? null : next,
            EffectiveIntervalMinutes = stop ? null : PollSchedule.Minutes(interval.Wait),
            IntervalReason = stop ? null : interval.Reason.Code,
            ErrorCount = errors,
            LastError = error,
            Stopped = stop,
        };
        return new PlannedPoll(new SourcePollRecord(fetch, null, []), 0);
    }

    private static string Describe(OutboundError error, TimeSpan? retryAfter) =>
        retryAfter is { } wait
            ? $"{error.Description}; the server asked to wait {Math.Ceiling(wait.TotalSeconds):0} s before asking again."
            : error.Description;

    private static string KeyOf(string dedupeKey) =>
        dedupeKey.Length <= MaxKeyLength
            ? dedupeKey
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dedupeKey)));

    /// <summary>Takes a slot for <paramref name="host"/>, then one of the global slots, so waiting on a busy host holds no global slot.</summary>
    private async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_hostsLock)
        {
            var entry = _hosts.TryGetValue(host, out var existing) ? existing : (Gate: new SemaphoreSlim(_options.MaxPerHost), Users: 0);
            _hosts[host] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }

        var release = new Slots(this, host, gate);
        try
        {
            await gate.WaitAsync(cancellationToken);
            release.HostTaken = true;
            await _global.WaitAsync(cancellationToken);
            release.GlobalTaken = true;
            return release;
        }
        catch
        {
            release.Dispose();
            throw;
        }
    }

    private void Leave(string host)
    {
        lock (_hostsLock)
        {
            var (gate, users) = _hosts[host];
            if (users > 1)
            {
                _hosts[host] = (gate, users - 1);
            }
            else
            {
                _hosts.Remove(host);
                gate.Dispose();
            }
        }
    }

    private async Task TriggerAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            await scheduler.TriggerJob(PollSourcesJob.Key);
        }
        catch (Exception e) when (e is SchedulerException or InvalidOperationException or ObjectDisposedException)
        {
            LogTriggerFailed(logger, e);
        }
    }

    public void Dispose()
    {
        _global.Dispose();
        _pace.Dispose();
    }

    private sealed record PlannedPoll(SourcePollRecord Poll, int InvalidItems);

    private sealed class Slots(SourcePoller poller, string host, SemaphoreSlim gate) : IDisposable
    {
        public bool HostTaken { get; set; }

        public bool GlobalTaken { get; set; }

        public void Dispose()
        {
            if (GlobalTaken)
            {
                poller._global.Release();
            }

            if (HostTaken)
            {
                gate.Release();
            }

            poller.Leave(host);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled {Count} sources: {NewPosts} new posts, {Failed} failed")]
    private static partial void LogRound(ILogger logger, int count, int newPosts, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {SourceId} ({Url}) failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, long sourceId, string url, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {SourceId} had {Count} new items that are not valid posts; they were skipped")]
    private static partial void LogInvalidItems(ILogger logger, long sourceId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling source {SourceId} failed unexpectedly; it stays due")]
    private static partial void LogPollCrashed(ILogger logger, long sourceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trigger source polling; the sweep will poll the new sources")]
    private static partial void LogTriggerFailed(ILogger logger, Exception exception);
}
