using System.ComponentModel.DataAnnotations;
using Feeds.Server.Hosting;

namespace Feeds.Server.Sitemaps;

/// <summary>The sitemap: section <c>Feeds:Sitemap</c>.</summary>
public sealed class SitemapOptions
{
    public const string Section = FeedsOptions.Section + ":Sitemap";

    /// <summary>The most URLs one sitemap file lists (the protocol's own limit is 50,000); past it, a sitemap index leads to the parts.</summary>
    [Range(1, 50_000)]
    public int UrlsPerFile { get; set; } = 50_000;
}
