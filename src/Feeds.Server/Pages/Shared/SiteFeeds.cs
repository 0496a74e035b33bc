using Feeds.Core.Syndication;

namespace Feeds.Server.Pages.Shared;

/// <summary>The feed formats a page advertises and links to, and their URLs as the feed endpoints serve them.</summary>
public static class SiteFeeds
{
    public static IReadOnlyList<FeedFormat> Formats { get; } =
    [
        new("atom", "application/atom+xml", "Atom"),
        new("rss", "application/rss+xml", "RSS"),
        new("json", "application/feed+json", "JSON Feed"),
    ];

    /// <summary>The URL of the feed of <paramref name="key"/> in one format.</summary>
    public static string Url(FeedComposer composer, FeedKey key, FeedFormat format) =>
        key.IsEverything ? composer.PageUrl(key) + "everything." + format.Extension : composer.PageUrl(key) + "." + format.Extension;

    /// <summary>The URL of the feed of a search in one format; <paramref name="query"/> as <c>SearchQuery.ToString</c> writes it.</summary>
    public static string SearchUrl(FeedComposer composer, string query, FeedFormat format) =>
        composer.PageUrl(FeedKey.Everything) + "search." + format.Extension + "?q=" + Uri.EscapeDataString(query);

    public sealed record FeedFormat(string Extension, string MediaType, string Name);
}
