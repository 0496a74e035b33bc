using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Hosting;
using Feeds.Server.WebSub;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Publishing;

/// <summary>
/// Renders feeds and keeps the rendered copies current: regenerates what changes marked dirty, answers a
/// request from memory or the stored copy, and renders the documents no one stores (older pages, archives).
/// </summary>
public sealed partial class FeedPublisher(
    PostQueries posts,
    TagStore tags,
    FeedStore store,
    FeedCache cache,
    FeedFiles files,
    FeedComposer composer,
    IOptions<FeedsOptions> feedsOptions,
    IOptions<PublishingOptions> options,
    TimeProvider clock,
    PublishingMetrics metrics,
    ILogger<FeedPublisher> logger,
    WebSubDiscovery? hub = null)
{
    private const int KeysPerTransaction = 64;

    /// <summary>
    /// The most feeds a run brings into memory: a publish's firehose, tags and combinations, which readers are about to
    /// fetch. A larger run (a rebuild, an import, a rename) only refreshes the documents already there.
    /// </summary>
    private const int MaxFeedsBroughtIntoMemory = 32;
    private readonly string _baseUrl = feedsOptions.Value.BaseUrlTrimmed;

    /// <summary>Renders every dirty feed once per format and stores and swaps in the documents that changed.</summary>
    /// <returns>The keys of the feeds rendered.</returns>
    public async Task<IReadOnlyList<string>> RegenerateDirtyAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var dirty = await store.ListDirtyAsync(cancellationToken);
        var onlyIfHeld = dirty.Count > MaxFeedsBroughtIntoMemory;
        var done = new List<string>(dirty.Count);
        foreach (var batch in dirty.Chunk(KeysPerTransaction))
        {
            var changed = new List<RenderedFeed>();
            foreach (var mark in batch)
            {
                var key = await ResolveAsync(mark.FeedKey, cancellationToken);
                if (key is null)
                {
                    cache.Remove(mark.FeedKey);
                    await store.DeleteAsync(mark.FeedKey, cancellationToken);
                    files.Delete(mark.FeedKey);
                    continue;
                }

                changed.AddRange(await RenderChangedAsync(key, cancellationToken));
                done.Add(mark.FeedKey);
                metrics.Regenerated(mark.FeedKey);
            }

            await store.SaveAsync([.. changed.Select(f => f.ToStored())], batch, cancellationToken);
            foreach (var feed in changed)
            {
                cache.Put(feed, onlyIfHeld);
                files.Write(feed);
            }
        }

        if (dirty.Count > 0)
        {
            var took = clock.GetElapsedTime(started);
            metrics.RunTook(took);
            LogRegenerated(logger, done.Count, took.TotalMilliseconds, done);
        }

        return done;
    }

    /// <summary>
    /// The current document of a feed: from memory, else the stored copy, else rendered now (a combination's first
    /// reader). The firehose's stored copy goes into memory, where it always is; of another feed only the body of
    /// <paramref name="coding"/> is read, and not kept: memory is for the documents regeneration swaps in, and keeping
    /// every document read once would churn it and the heap when readers roam over thousands of tags.
    /// </summary>
    public async Task<RenderedFeed> GetAsync(FeedKey key, IFeedWriter writer, string? coding, CancellationToken cancellationToken)
    {
        if (cache.TryGet(key.Value, writer, out var cached))
        {
            return cached;
        }

        if (key.IsEverything && await store.LoadAsync(key.Value, writer.FileExtension, cancellationToken) is { } firehose)
        {
            var feed = RenderedFeed.FromStored(firehose);
            cache.Put(feed);
            return feed;
        }

        if (!key.IsEverything && await store.LoadAsync(key.Value, writer.FileExtension, coding, cancellationToken) is { } stored)
        {
            return RenderedFeed.FromStored(stored);
        }

        var rendered = await RenderChangedAsync(key, cancellationToken);
        await store.SaveAsync([.. rendered.Select(f => f.ToStored())], [], cancellationToken);
        foreach (var feed in rendered)
        {
            cache.Put(feed);
            files.Write(feed);
        }

        // A render only returns documents whose bytes changed; when regeneration swapped in the same bytes meanwhile,
        // the one asked for is the one in memory.
        return rendered.FirstOrDefault(f => f.Writer == writer)
            ?? (cache.TryGet(key.Value, writer, out var current) ? current : throw new InvalidOperationException($"{key.Value} rendered no {writer.FileExtension} document"));
    }

    /// <summary>An older page of a feed (RFC 5005 paging), rendered for the request.</summary>
    public async Task<byte[]> RenderPageAsync(FeedKey key, IFeedWriter writer, PostCursor before, string selfUrl, CancellationToken cancellationToken)
    {
        var page = await posts.ListPublishedAsync(key, before, options.Value.EntriesPerFeed, cancellationToken);
        var feedUrl = FeedUrls.Feed(_baseUrl, key, writer);
        var document = composer.Compose(key, page.Posts, new FeedPage
        {
            SelfUrl = selfUrl,
            FirstUrl = feedUrl,
            NextUrl = page.Next is { } next ? $"{feedUrl}?before={next.Encode()}" : null,
        }, clock.GetUtcNow());
        return writer.WriteToArray(document);
    }

    /// <summary>The subscription document rendered for one request, with its own self link (a request at a host alias).</summary>
    public async Task<byte[]> RenderCurrentAsync(FeedKey key, IFeedWriter writer, string selfUrl, CancellationToken cancellationToken)
    {
        var page = await posts.ListPublishedAsync(key, null, options.Value.EntriesPerFeed, cancellationToken);
        var newestArchive = await NewestArchiveAsync(key, page, cancellationToken);
        return writer.WriteToArray(composer.Compose(key, page.Posts, CurrentPage(key, writer, page, newestArchive, selfUrl), clock.GetUtcNow()));
    }

    /// <summary>
    /// A monthly archive document (RFC 5005 section 4), or null when the feed has no posts that month or the month is
    /// not over: an archive's entries must not change once published, so the month under way is only in the subscription
    /// document. Each archive links the subscription document (<c>current</c>) and its neighbouring archives, the months
    /// before and after it that hold posts of the feed.
    /// </summary>
    public async Task<byte[]?> RenderArchiveAsync(FeedKey key, IFeedWriter writer, DateOnly month, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var thisMonth = MonthOf(now);
        if (month >= thisMonth)
        {
            return null;
        }

        var start = Start(month);
        var entries = await posts.ListPublishedBetweenAsync(key, start, start.AddMonths(1), cancellationToken);
        if (entries.Count == 0)
        {
            return null;
        }

        var months = (await posts.ListPublishedMonthsAsync(key, cancellationToken)).ToList();
        var index = months.IndexOf(month);
        DateOnly? newer = index + 1 < months.Count && months[index + 1] < thisMonth ? months[index + 1] : null;
        var document = composer.Compose(key, entries, new FeedPage
        {
            SelfUrl = FeedUrls.Archive(_baseUrl, key, month, writer),
            CurrentUrl = FeedUrls.Feed(_baseUrl, key, writer),
            PrevArchiveUrl = index > 0 ? FeedUrls.Archive(_baseUrl, key, months[index - 1], writer) : null,
            NextArchiveUrl = newer is { } next ? FeedUrls.Archive(_baseUrl, key, next, writer) : null,
            IsArchive = true,
        }, now);
        return writer.WriteToArray(document);
    }

    /// <summary>
    /// The feed a stored key names, or null when one of its tags no longer exists or no published post carries it any
    /// more, or no published post links to its site: its documents are then dropped, and it answers as an unknown feed
    /// until such a post is published.
    /// </summary>
    public async Task<FeedKey?> ResolveAsync(string feedKey, CancellationToken cancellationToken)
    {
        if (FeedKey.SiteOf(feedKey) is { } site)
        {
            return await HasPostsAsync(FeedKey.ForSite(site), cancellationToken) ? FeedKey.ForSite(site) : null;
        }

        if (!FeedKey.TrySlugsOf(feedKey, out var slugs))
        {
            return null;
        }

        if (slugs.Length == 0)
        {
            return FeedKey.Everything;
        }

        var resolved = new List<Tag>();
        foreach (var slug in slugs)
        {
            if (await tags.GetPublicAsync(slug, cancellationToken) is not { } tag)
            {
                return null;
            }

            resolved.Add(tag);
        }

        return FeedKey.ForTags(resolved);
    }

    /// <summary>Whether any published post is in the feed <paramref name="key"/>.</summary>
    public async Task<bool> HasPostsAsync(FeedKey key, CancellationToken cancellationToken) =>
        (await posts.ListPublishedAsync(key, null, 1, cancellationToken)).Posts.Count > 0;

    /// <summary>
    /// Renders the three formats of a feed, keeping the current document wherever the bytes did not change. The formats
    /// are written and compressed side by side: compressing is most of a render, and a lone publish is visible sooner
    /// for using both cores. Under a stream of writes the cores are busy anyway, and pacing keeps rendering's share.
    /// </summary>
    private async Task<IReadOnlyList<RenderedFeed>> RenderChangedAsync(FeedKey key, CancellationToken cancellationToken)
    {
        var sequence = RenderedFeed.NextSequence();
        var page = await posts.ListPublishedAsync(key, null, options.Value.EntriesPerFeed, cancellationToken);
        var newestArchive = await NewestArchiveAsync(key, page, cancellationToken);
        var entries = composer.ComposeEntries(page.Posts);
        var now = clock.GetUtcNow();
        var rendered = await Task.WhenAll(FeedWriters.All.Select(writer => Task.Run(() =>
        {
            var emptyUpdated = cache.TryGet(key.Value, writer, out var previous) ? previous.LastModified : now;
            var document = composer.ComposeDocument(key, entries, CurrentPage(key, writer, page, newestArchive, FeedUrls.Feed(_baseUrl, key, writer)), emptyUpdated);
            var body = writer.WriteToArray(document);
            return previous is not null && previous.ETag == RenderedFeed.ETagOf(body)
                ? null
                : RenderedFeed.Create(key.Value, writer, body, now, entries.Count, sequence);
        }, cancellationToken)));
        return [.. rendered.OfType<RenderedFeed>()];
    }

    /// <summary>
    /// The newest archive document of a feed: the latest month before the present one holding a post of it, found on the
    /// feed's first page when it reaches back that far, else by one indexed look-up. Null when every post is this month's.
    /// </summary>
    private async Task<DateOnly?> NewestArchiveAsync(FeedKey key, PostPage page, CancellationToken cancellationToken)
    {
        var monthStart = Start(MonthOf(clock.GetUtcNow()));
        var older = page.Posts.FirstOrDefault(p => p.PublishedAt < monthStart);
        if (older is null && page.Next is not null)
        {
            // Published posts sort by their publication time, and no id sorts before the empty Guid.
            var before = await posts.ListPublishedAsync(key, new PostCursor(monthStart, Guid.Empty), 1, cancellationToken);
            older = before.Posts.Count > 0 ? before.Posts[0] : null;
        }

        return older?.PublishedAt is { } published ? MonthOf(published) : null;
    }

    private FeedPage CurrentPage(FeedKey key, IFeedWriter writer, PostPage page, DateOnly? newestArchive, string selfUrl) => new()
    {
        SelfUrl = selfUrl,
        NextUrl = page.Next is { } next ? $"{FeedUrls.Feed(_baseUrl, key, writer)}?before={next.Encode()}" : null,

        // RFC 5005 section 4: the subscription document leads to the newest archive, and the archives chain back from it.
        PrevArchiveUrl = newestArchive is { } month ? FeedUrls.Archive(_baseUrl, key, month, writer) : null,

        // WebSub section 4: the subscription document is the topic; older pages and archives are not.
        HubUrl = hub?.HubUrl,
    };

    private static DateOnly MonthOf(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1);

    private static DateTimeOffset Start(DateOnly month) => new(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Regenerated {Count} feeds in {Milliseconds:0.0} ms: {Feeds}")]
    private static partial void LogRegenerated(ILogger logger, int count, double milliseconds, IReadOnlyList<string> feeds);
}
