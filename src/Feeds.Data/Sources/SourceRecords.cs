using Feeds.Core.Posts;
using Feeds.Core.Sources;

namespace Feeds.Data.Sources;

/// <summary>An upstream feed the service follows, with what its posts should look like and how polling it goes.</summary>
public sealed record Source
{
    public required long Id { get; init; }

    /// <summary>The feed's URL; permanent redirects move it.</summary>
    public required string Url { get; init; }

    /// <summary>The web site the feed belongs to, as the feed (or the page it was discovered on) says.</summary>
    public string? SiteUrl { get; init; }

    /// <summary>The author's name for the source; null to use the feed's own title.</summary>
    public string? Title { get; init; }

    /// <summary>The title the feed gave itself at its last successful read.</summary>
    public string? FeedTitle { get; init; }

    public required IReadOnlyList<Tag> Tags { get; init; }

    public required SourceMode Mode { get; init; }

    /// <summary>The time between two polls of a healthy source: the one the author chose, else the configured default.</summary>
    public required int IntervalMinutes { get; init; }

    /// <summary>
    /// Whether the author chose <see cref="IntervalMinutes"/>. A chosen interval is kept; the default one adapts to the
    /// feed (its <c>ttl</c>, <c>Cache-Control: max-age</c>, how rarely it publishes).
    /// </summary>
    public required bool IntervalChosen { get; init; }

    /// <summary>Whether items published before the source was added become posts too.</summary>
    public required bool Backfill { get; init; }

    /// <summary>When the source was added: with <see cref="Backfill"/> off, older items are not posted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required SourceFetchState Fetch { get; init; }

    /// <summary>The subscription to the hub the feed advertises; null when it advertises none (or was not read yet).</summary>
    public SourcePush? Push { get; init; }

    /// <summary>The name shown for the source: the author's, else the feed's, else the feed's host.</summary>
    public string DisplayTitle => NameOf(Title, FeedTitle, Url);

    /// <summary>The name shown for a source of <paramref name="title"/>, <paramref name="feedTitle"/> and <paramref name="url"/>.</summary>
    public static string NameOf(string? title, string? feedTitle, string url) => title ?? feedTitle ?? new Uri(url).Host;
}

/// <summary>Where polling a source stands: the validators for the next conditional request, and the last outcome.</summary>
public sealed record SourceFetchState
{
    public string? ETag { get; init; }

    /// <summary>The <c>Last-Modified</c> header exactly as received, sent back in <c>If-Modified-Since</c>.</summary>
    public string? LastModified { get; init; }

    /// <summary>SHA-256 of the last body that was read successfully: the same bytes again count as not modified.</summary>
    public string? BodySha256 { get; init; }

    /// <summary>The interval the feed itself asked for or showed at its last read (<c>ttl</c> or publishing rhythm).</summary>
    public int? SuggestedIntervalMinutes { get; init; }

    /// <summary>What <see cref="SuggestedIntervalMinutes"/> comes from: <c>ttl</c> or <c>rhythm</c>.</summary>
    public string? SuggestedBy { get; init; }

    /// <summary>The wait before <see cref="NextCheckAt"/>, before jitter; null until the schedule was first worked out.</summary>
    public int? EffectiveIntervalMinutes { get; init; }

    /// <summary>Why the wait is <see cref="EffectiveIntervalMinutes"/>: <c>interval</c>, <c>default</c>, <c>ttl</c>, <c>max-age</c>, <c>rhythm</c>, <c>backoff</c> or <c>retry-after</c>.</summary>
    public string? IntervalReason { get; init; }

    public int? LastStatus { get; init; }

    public DateTimeOffset? LastCheckedAt { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Null once polling has stopped.</summary>
    public DateTimeOffset? NextCheckAt { get; init; }

    /// <summary>Failed polls in a row.</summary>
    public int ErrorCount { get; init; }

    public string? LastError { get; init; }

    /// <summary>What the parser noticed but read past in the last document it read (see <c>ParsedFeed.Warnings</c>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Polling stopped for good (the feed answered 410 Gone) until the source is refreshed by hand or given a new URL.</summary>
    public bool Stopped { get; init; }
}

/// <summary>A source to add.</summary>
public sealed record NewSource(
    string Url,
    string? SiteUrl,
    string? Title,
    string? FeedTitle,
    IReadOnlyList<Tag> Tags,
    SourceMode Mode,
    int IntervalMinutes,
    bool IntervalChosen,
    bool Backfill);

/// <summary>The author's settings of a source, replaced as a whole.</summary>
public sealed record SourceSettings(string? Title, IReadOnlyList<Tag> Tags, SourceMode Mode, int IntervalMinutes, bool IntervalChosen, bool Backfill);

/// <summary>What a fetch learnt about the feed itself: where it now lives, its site and its title.</summary>
public sealed record SourceFeedInfo(string Url, string? SiteUrl, string? FeedTitle);

/// <summary>What the source has recorded about one upstream item.</summary>
public sealed record SourceItemState(string DedupeKey, Guid? PostId, string ContentHash);

/// <summary>
/// One item of a fetched document. <see cref="Post"/> is what the item would become: for an item not seen before it
/// is created (null records the item as seen without a post: too old, or not a valid post); for a known item whose
/// content changed, it carries the new link and title for the post while that post is still a draft.
/// </summary>
/// <param name="Summary">The item's text as a one-line excerpt, shown beside its draft in the drafts queue.</param>
public sealed record IncomingItem(string DedupeKey, string ContentHash, PostContent? Post, string? Summary = null);

/// <summary>The outcome of one poll, stored in one transaction with the posts it makes.</summary>
/// <param name="Feed">What the fetch learnt about the feed; null when nothing was read.</param>
/// <param name="Hub">The WebSub hub the document read advertised (<see cref="SourceHub.None"/>: none); null to leave the subscription as it is.</param>
public sealed record SourcePollRecord(SourceFetchState Fetch, SourceFeedInfo? Feed, IReadOnlyList<IncomingItem> Items, SourceHub? Hub = null);

/// <summary>What a write did: the source as it now is (null when it no longer exists), or the source that already has the URL.</summary>
public sealed record SourceWrite(Source? Source, long? ConflictingId = null, int NewPosts = 0, int UpdatedPosts = 0);
