namespace Feeds.Core.Syndication;

/// <summary>The site-wide settings that shape every feed.</summary>
public sealed record FeedSite
{
    /// <summary>The site's absolute root URL, such as <c>https://links.example.org</c> (a trailing slash is ignored).</summary>
    public required string BaseUrl { get; init; }

    public required string Title { get; init; }
    public string? Subtitle { get; init; }

    /// <summary>Who writes the posts, if the site names anyone; without one, formats that allow it name no author.</summary>
    public FeedPerson? Author { get; init; }

    public string? IconUrl { get; init; }

    /// <summary>
    /// The domain name (or e-mail address) the site owns, the authority of its <c>tag:</c> URIs (RFC 4151).
    /// Changing it changes every id, so readers would see every entry again: choose it once.
    /// </summary>
    public required string IdAuthority { get; init; }

    /// <summary>A day on which <see cref="IdAuthority"/> was held, dating the feed ids (entries use their creation day).</summary>
    public required DateOnly IdDate { get; init; }

    /// <summary>Where an entry's alternate link points.</summary>
    public EntryLink EntryAlternateLink { get; init; } = EntryLink.Permalink;

    public FeedGenerator Generator { get; init; } = FeedGenerator.Default;
}

public enum EntryLink
{
    /// <summary>The post's page on this site; the target is the related link.</summary>
    Permalink,

    /// <summary>The page the post links to, as link blogs such as Daring Fireball do.</summary>
    Target,
}
