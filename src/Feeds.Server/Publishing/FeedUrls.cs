using System.Globalization;
using Feeds.Core.Syndication;

namespace Feeds.Server.Publishing;

/// <summary>The URL scheme of feeds: <c>/everything.atom</c>, <c>/tags/a+b.rss</c>, <c>/site/example.com.json</c>, and monthly archives beneath them.</summary>
public static class FeedUrls
{
    /// <summary>The path of a feed without its extension: <c>/everything</c>, <c>/tags/a+b</c> or <c>/site/example.com</c>.</summary>
    public static string Stem(FeedKey key) =>
        key.Site is { } site ? SiteStem(site)
        : key.IsEverything ? "/everything"
        : "/tags/" + string.Join('+', key.Tags.Select(t => Uri.EscapeDataString(t.Slug)));

    public static string Feed(string baseUrl, FeedKey key, IFeedWriter writer) => $"{baseUrl}{Stem(key)}.{writer.FileExtension}";

    /// <summary>A feed's URL from its stored key and format, as <see cref="Feed(string, FeedKey, IFeedWriter)"/> makes it.</summary>
    public static string Feed(string baseUrl, string feedKey, string format) =>
        FeedKey.SiteOf(feedKey) is { } site ? $"{baseUrl}{SiteStem(site)}.{format}"
        : FeedKey.TrySlugsOf(feedKey, out var slugs)
            ? $"{baseUrl}{(slugs.Length == 0 ? "/everything" : "/tags/" + string.Join('+', slugs.Select(Uri.EscapeDataString)))}.{format}"
            : throw new ArgumentException($"'{feedKey}' is not a feed key.", nameof(feedKey));

    /// <summary>The feed of a search: <paramref name="query"/> as the search language writes it (<c>SearchQuery.ToString</c>).</summary>
    public static string Search(string baseUrl, string query, IFeedWriter writer) => $"{baseUrl}/search.{writer.FileExtension}?q={Uri.EscapeDataString(query)}";

    private static string SiteStem(string site) => "/site/" + Uri.EscapeDataString(site);

    public static string Archive(string baseUrl, FeedKey key, DateOnly month, IFeedWriter writer) =>
        string.Create(CultureInfo.InvariantCulture, $"{baseUrl}{Stem(key)}/archive/{month:yyyy}/{month:MM}.{writer.FileExtension}");

    /// <summary>A request's tag list in canonical (sorted, distinct) order, the order of storage keys.</summary>
    public static IReadOnlyList<string> CanonicalSlugs(IEnumerable<string> slugs) =>
        [.. slugs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
