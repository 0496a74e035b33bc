using Feeds.Core.Links;
using Feeds.Core.Posts;

namespace Feeds.Core.Search;

/// <summary>
/// What the index holds of a post, each field already in <see cref="SearchText"/> form, and the site it links to
/// (<see cref="LinkSites"/>, as the post keeps it) for <c>site:</c>.
/// </summary>
public sealed record SearchDocument(string Title, string Commentary, string Link, string Via, string Tags, string Site)
{
    public static SearchDocument For(Post post) => new(
        SearchText.Normalize(post.Title),
        SearchText.Normalize(post.Commentary),
        SearchText.Normalize(post.Url),
        SearchText.Normalize(post.Via is null ? null : $"{post.Via.Title} {post.Via.Url}"),
        SearchText.Normalize(string.Join(' ', post.Tags.Select(t => $"{t.Slug} {t.Name}"))),
        LinkSites.Of(post.Url));

    /// <summary>A <c>site:</c> value in the form <see cref="Site"/> is kept in; null when it names no host.</summary>
    public static string? SiteFilter(string value)
    {
        var text = value.Trim().TrimEnd('/').ToLowerInvariant();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        var site = LinkSites.Of(text);
        return site.Length == 0 ? null : site;
    }

    /// <summary>Every word of every field, as the matcher of <see cref="SearchQuery.Matches"/> reads them.</summary>
    public IEnumerable<string> Fields => [Title, Commentary, Link, Via, Tags];

    /// <summary>True when the post links to <paramref name="site"/> or one of its subdomains.</summary>
    public bool IsOn(string site) => Site == site || Site.EndsWith("." + site, StringComparison.Ordinal);
}
