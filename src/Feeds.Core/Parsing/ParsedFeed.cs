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

    /// <summary>Plain text.</summary>
    public string? Description { get; init; }

    /// <summary>RSS <c>ttl</c>: how many minutes the publisher asks readers to cache the feed.</summary>
    public int? TtlMinutes { get; init; }

    /// <summary>In document order; an item whose <see cref="ParsedItem.DedupeKey"/> repeats an earlier one is left out.</summary>
    public required IReadOnlyList<ParsedItem> Items { get; init; }
}

/// <summary>
/// One entry of an upstream feed. HTML fields hold the publisher's HTML with relative links made absolute;
/// they are not sanitised here, so whoever displays them must sanitise them first.
/// </summary>
public sealed record ParsedItem
{
    /// <summary>The RSS <c>guid</c>, Atom <c>id</c> or JSON <c>id</c> exactly as given (trimmed); null when missing.</summary>
    public string? Id { get; init; }

    /// <summary>The item's web page: absolute, http or https only.</summary>
    public Uri? Url { get; init; }

    /// <summary>Plain text (HTML stripped, whitespace collapsed); null when missing or blank.</summary>
    public string? Title { get; init; }

    public string? SummaryHtml { get; init; }

    public string? ContentHtml { get; init; }

    /// <summary>Null when the feed gives no usable date: the parser never invents one.</summary>
    public DateTimeOffset? Published { get; init; }

    public DateTimeOffset? Updated { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Display names, or e-mail addresses when no name is given.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>
    /// What identifies this item across polls of the same source: the id when present, else the URL,
    /// else <c>sha256:</c> and a hash of title and content. Compare it only within one source.
    /// </summary>
    public required string DedupeKey { get; init; }
}

/// <summary>Why a document could not be read as a feed; the message is written for the person who owns the source.</summary>
public sealed class FeedParseException : Exception
{
    public FeedParseException(string message)
        : base(message)
    {
    }

    public FeedParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FeedParseException()
    {
    }
}

/// <summary>The limits every upstream document is held to, whatever its format.</summary>
public static class FeedLimits
{
    /// <summary>Larger bodies are refused before any parsing.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Documents with more items are refused rather than truncated: no honest feed carries that many,
    /// and keeping an arbitrary first part would silently drop items the poller then never sees.
    /// </summary>
    public const int MaxItems = 10_000;

    /// <summary>Element nesting deeper than this is refused; real feeds, XHTML content included, stay far below it.</summary>
    public const int MaxDepth = 256;
}
