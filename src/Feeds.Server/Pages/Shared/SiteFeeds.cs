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

    public sealed record FeedFormat(string Extension, string MediaType, string Name);
}
