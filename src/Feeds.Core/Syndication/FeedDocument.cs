namespace Feeds.Core.Syndication;

/// <summary>
/// One feed document, independent of its format: what the Atom, RSS 2.0 and JSON Feed writers render.
/// URLs are absolute; text is as the author typed it (the writers make it safe for their format).
/// </summary>
public sealed record FeedDocument
{
    /// <summary>A permanent <c>tag:</c> URI naming the logical feed; every page and archive of it shares the id.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }
    public string? Subtitle { get; init; }

    /// <summary>The site's author; null when it names none, and formats where an author is optional then leave it out.</summary>
    public FeedPerson? Author { get; init; }

    /// <summary>The site's own title (<see cref="Title"/> adds the tags): Atom, which requires an author, names the site by it when there is no <see cref="Author"/>.</summary>
    public required string SiteTitle { get; init; }

    /// <summary>The newest entry's <see cref="FeedEntry.Updated"/>, or when the feed last changed if it is empty.</summary>
    public required DateTimeOffset Updated { get; init; }

    public required FeedGenerator Generator { get; init; }
    public string? IconUrl { get; init; }

    /// <summary>This document's own URL in the format being written (<c>rel="self"</c>, JSON Feed <c>feed_url</c>).</summary>
    public required string SelfUrl { get; init; }

    /// <summary>The HTML page showing the same posts.</summary>
    public required string AlternateUrl { get; init; }

    /// <summary>Base against which relative URLs inside entry content resolve (<c>xml:base</c>).</summary>
    public string? XmlBase { get; init; }

    /// <summary>RFC 5005 paging (section 3): older entries, newer entries, the newest page.</summary>
    public string? NextUrl { get; init; }

    public string? PreviousUrl { get; init; }
    public string? FirstUrl { get; init; }

    /// <summary>RFC 5005 archives (section 4): the live feed, the older and the newer archive document.</summary>
    public string? CurrentUrl { get; init; }

    public string? PrevArchiveUrl { get; init; }
    public string? NextArchiveUrl { get; init; }

    /// <summary>Marks an archive document (<c>fh:archive</c>): its entries will not change, so readers may cache it for good.</summary>
    public bool IsArchive { get; init; }

    /// <summary>The WebSub hub that pushes this document to subscribers (<c>rel="hub"</c>, JSON Feed <c>hubs</c>).</summary>
    public string? HubUrl { get; init; }

    public required IReadOnlyList<FeedEntry> Entries { get; init; }
}

/// <summary>A tag as a category: <paramref name="Term"/> is its slug, <paramref name="Scheme"/> its page URL.</summary>
public sealed record FeedCategory(string Term, string Label, string Scheme);

public sealed record FeedPerson(string Name, string? Url = null);

/// <summary>The software that produced the feed.</summary>
public sealed record FeedGenerator(string Name, string? Url = null, string? Version = null)
{
    /// <summary>This library, with the version of the assembly that was built.</summary>
    public static FeedGenerator Default { get; } = new("Feeds", null, CurrentVersion());

    private static string? CurrentVersion()
    {
        var version = typeof(FeedGenerator).Assembly.GetName().Version;
        return version is null ? null : version.ToString(3);
    }
}
