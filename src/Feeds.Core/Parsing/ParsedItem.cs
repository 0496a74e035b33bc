namespace Feeds.Core.Parsing;

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

    /// <summary>Atom <c>category</c>, RSS <c>category</c>, Dublin Core, iTunes and Media RSS subjects, JSON <c>tags</c>; one per term.</summary>
    public IReadOnlyList<ParsedCategory> Categories { get; init; } = [];

    public IReadOnlyList<ParsedAuthor> Authors { get; init; } = [];

    /// <summary>Media files attached to the item (RSS <c>enclosure</c>, Atom <c>rel="enclosure"</c>, Media RSS, JSON <c>attachments</c>); one per URL.</summary>
    public IReadOnlyList<ParsedEnclosure> Enclosures { get; init; } = [];

    /// <summary>A picture standing for the item (Media RSS <c>thumbnail</c>, iTunes <c>image</c>, JSON <c>image</c>): absolute, http or https.</summary>
    public Uri? ImageUrl { get; init; }

    /// <summary>
    /// What identifies this item across polls of the same source: the id when present, else the URL,
    /// else <c>sha256:</c> and a hash of everything the item holds (followed by <c>#2</c>, <c>#3</c>… for the second
    /// and later items of one document that hold exactly the same). Compare it only within one source.
    /// </summary>
    public required string DedupeKey { get; init; }
}
