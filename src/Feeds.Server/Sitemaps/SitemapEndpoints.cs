using System.Globalization;
using System.Text;
using System.Xml;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Pages;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sitemaps;

/// <summary>
/// What search engines read first: <c>/robots.txt</c> (the desk and the API are not for them; the sitemap is) and
/// <c>/sitemap.xml</c> (sitemaps.org 0.9) listing the home page, the tag index, every tag page and every published post.
/// Past <see cref="SitemapOptions.UrlsPerFile"/> URLs, <c>/sitemap.xml</c> is a sitemap index of the parts
/// <c>/sitemap-1.xml</c>, <c>/sitemap-2.xml</c>…, the oldest posts first so that a part keeps its URLs as posts are added.
/// </summary>
public static class SitemapEndpoints
{
    public const string XmlContentType = "application/xml; charset=utf-8";
    private const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XmlWriterSettings _xml = new() { Encoding = new UTF8Encoding(false), Indent = true, Async = true };

    public static IHostApplicationBuilder AddFeedsSitemaps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SitemapOptions>().BindConfiguration(SitemapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapSitemaps(this IEndpointRouteBuilder app)
    {
        app.MapPublic("/robots.txt", Robots, "Robots", "What crawlers may read, and where the sitemap is.");
        app.MapPublic("/sitemap.xml", SitemapAsync, "Sitemap", "Every public page, or the index of the sitemap's parts.");
        app.MapPublic("/sitemap-{part:int}.xml", PartAsync, "SitemapPart", "One part of a sitemap too long for one file.");
        return app;
    }

    public static IResult Robots(FeedComposer composer)
    {
        var home = composer.PageUrl(FeedKey.Everything);
        var path = new Uri(home).AbsolutePath;
        var text = $"""
            User-agent: *
            Disallow: {path}desk/
            Disallow: {path}api/

            Sitemap: {home}sitemap.xml

            """;
        return TypedResults.Text(text.ReplaceLineEndings("\n"), "text/plain; charset=utf-8");
    }

    public static async Task<IResult> SitemapAsync(
        FeedComposer composer, PostQueries posts, TagStore tags, IOptions<SitemapOptions> options, CancellationToken cancellationToken)
    {
        var pages = await PagesAsync(composer, tags, cancellationToken);
        var total = pages.Count + await posts.CountPublishedAsync(cancellationToken);
        var perFile = options.Value.UrlsPerFile;
        if (total <= perFile)
        {
            return await UrlSetAsync(composer, posts, pages, 0, perFile, cancellationToken);
        }

        var parts = (total + perFile - 1) / perFile;
        return new XmlResult(async writer =>
        {
            await writer.WriteStartElementAsync(null, "sitemapindex", Namespace);
            var home = composer.PageUrl(FeedKey.Everything);
            for (var part = 1; part <= parts; part++)
            {
                await writer.WriteStartElementAsync(null, "sitemap", Namespace);
                await writer.WriteElementStringAsync(null, "loc", Namespace, string.Create(CultureInfo.InvariantCulture, $"{home}sitemap-{part}.xml"));
                await writer.WriteEndElementAsync();
            }

            await writer.WriteEndElementAsync();
        });
    }

    public static async Task<IResult> PartAsync(
        int part, FeedComposer composer, PostQueries posts, TagStore tags, IOptions<SitemapOptions> options, CancellationToken cancellationToken)
    {
        var pages = await PagesAsync(composer, tags, cancellationToken);
        var total = pages.Count + await posts.CountPublishedAsync(cancellationToken);
        var perFile = options.Value.UrlsPerFile;
        // Parts exist only while the sitemap is an index of them.
        if (total <= perFile || part < 1 || (long)(part - 1) * perFile >= total)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The sitemap has no such part.");
        }

        return await UrlSetAsync(composer, posts, pages, (part - 1) * perFile, perFile, cancellationToken);
    }

    /// <summary>The site's pages other than posts: the home page, the tag index and each public tag's page.</summary>
    private static async Task<IReadOnlyList<string>> PagesAsync(FeedComposer composer, TagStore tags, CancellationToken cancellationToken)
    {
        var home = composer.PageUrl(FeedKey.Everything);
        var list = (await tags.ListAsync(cancellationToken)).Where(t => t.IsPublic).Select(t => composer.TagPageUrl(new Tag(t.Slug, t.Name)));
        return [home, home + "tags", .. list];
    }

    /// <summary>A <c>urlset</c> of the URLs from position <paramref name="skip"/> on: pages first, then posts oldest first.</summary>
    private static async Task<IResult> UrlSetAsync(
        FeedComposer composer, PostQueries posts, IReadOnlyList<string> pages, int skip, int take, CancellationToken cancellationToken)
    {
        var ownPages = pages.Skip(skip).Take(take).ToList();
        var permalinks = take > ownPages.Count
            ? await posts.ListPermalinksAsync(Math.Max(0, skip - pages.Count), take - ownPages.Count, cancellationToken)
            : [];
        return new XmlResult(async writer =>
        {
            await writer.WriteStartElementAsync(null, "urlset", Namespace);
            foreach (var page in ownPages)
            {
                await writer.WriteStartElementAsync(null, "url", Namespace);
                await writer.WriteElementStringAsync(null, "loc", Namespace, page);
                await writer.WriteEndElementAsync();
            }

            foreach (var post in permalinks)
            {
                await writer.WriteStartElementAsync(null, "url", Namespace);
                await writer.WriteElementStringAsync(null, "loc", Namespace, composer.PermalinkUrl(post.Slug, post.PublishedAt));
                await writer.WriteElementStringAsync(null, "lastmod", Namespace,
                    post.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                await writer.WriteEndElementAsync();
            }

            await writer.WriteEndElementAsync();
        });
    }

    /// <summary>An XML document written straight into the response.</summary>
    private sealed class XmlResult(Func<XmlWriter, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = XmlContentType;
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            await using var writer = XmlWriter.Create(httpContext.Response.Body, _xml);
            await writer.WriteStartDocumentAsync();
            await write(writer);
            await writer.WriteEndDocumentAsync();
        }
    }
}
