namespace Feeds.Core.Parsing;

/// <summary>The syntax a document was written in, as detected from the document itself.</summary>
public enum FeedFormat
{
    Rss090,
    Rss091,
    Rss092,
    Rss10,
    Rss20,
    Atom03,
    Atom10,
    JsonFeed10,
    JsonFeed11,
}

/// <summary>An upstream feed as the poller needs it: the channel's metadata and its items in document order.</summary>
public sealed record ParsedFeed
{
    public required FeedFormat Format { get; init; }

    /// <summary>Plain text; null when missing or blank.</summary>
    public string? Title { get; init; }

    /// <summary>The site's home page (RSS <c>link</c>, Atom <c>rel="alternate"</c>, JSON <c>home_page_url</c>).</summary>
    public Uri? SiteUrl { get; init; }

    /// <summary>Where the feed says it lives (Atom <c>rel="self"</c>, JSON <c>feed_url</c>); may differ from the polled URL.</summary>
    public Uri? SelfUrl { get; init; }

    /// <summary>
    /// The WebSub hub the document advertises (Atom <c>rel="hub"</c>, RSS <c>atom:link rel="hub"</c>, JSON Feed
    /// <c>hubs</c>), the first usable one; with <see cref="SelfUrl"/> as the topic, a subscriber can ask it for pushes.
    /// </summary>
    public Uri? HubUrl { get; init; }

    /// <summary>Plain text.</summary>
    public string? Description { get; init; }

    /// <summary>RSS <c>ttl</c>: how many minutes the publisher asks readers to cache the feed.</summary>
    public int? TtlMinutes { get; init; }

    /// <summary>
    /// In document order; an item whose id (or, without one, link) repeats an earlier one's is left out, while items keyed
    /// by their content are all kept (see <see cref="ParsedItem.DedupeKey"/>).
    /// </summary>
    public required IReadOnlyList<ParsedItem> Items { get; init; }

    /// <summary>
    /// What the parser noticed but read past, in words for the source's owner (a document with no channel read as an
    /// empty feed, for instance); empty for a document read without remark.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
