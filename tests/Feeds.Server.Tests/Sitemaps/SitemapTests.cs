using System.Net;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Pages;

namespace Feeds.Server.Tests.Sitemaps;

/// <summary>What search engines read: <c>/robots.txt</c> and <c>/sitemap.xml</c>, split into parts past its limit.</summary>
public sealed class SitemapTests : IDisposable
{
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private const string BaseUrl = HtmlPages.BaseUrl;

    private FeedsServer? _server;
    private HttpClient _author = null!;

    public void Dispose() => _server?.Dispose();

    [Fact]
    public async Task The_sitemap_lists_the_home_page_the_tag_index_each_public_tag_and_each_published_post()
    {
        Start(urlsPerFile: null);
        var first = await Publish("First", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), "Python");
        var second = await Publish("Second", new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.Zero), "AI");
        await _author.CreateAsync(new { url = "https://example.com/draft", title = "Draft", tags = new[] { "Secret" }, status = "draft" });

        var response = await _author.GetAsync("/sitemap.xml");
        var sitemap = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Sitemaps + "urlset", sitemap.Root!.Name);
        Assert.Equal(
            [$"{BaseUrl}/", $"{BaseUrl}/tags", $"{BaseUrl}/tags/ai", $"{BaseUrl}/tags/python", first, second],
            Locations(sitemap));
        var post = sitemap.Root.Elements(Sitemaps + "url").Single(u => (string?)u.Element(Sitemaps + "loc") == first);
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", (string?)post.Element(Sitemaps + "lastmod"));
    }

    [Fact]
    public async Task Past_its_limit_the_sitemap_is_an_index_of_parts_that_together_list_every_url_once()
    {
        Start(urlsPerFile: 3);
        var posts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            posts.Add(await Publish($"Post {i}", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i), "Notes"));
        }

        var index = XDocument.Parse(await _author.GetStringAsync("/sitemap.xml"));

        Assert.Equal(Sitemaps + "sitemapindex", index.Root!.Name);
        var parts = index.Root.Elements(Sitemaps + "sitemap").Select(s => (string)s.Element(Sitemaps + "loc")!).ToList();
        Assert.Equal([$"{BaseUrl}/sitemap-1.xml", $"{BaseUrl}/sitemap-2.xml", $"{BaseUrl}/sitemap-3.xml"], parts);
        var listed = new List<string>();
        foreach (var part in parts)
        {
            var urls = Locations(XDocument.Parse(await _author.GetStringAsync(HtmlPages.PathOf(part))));
            Assert.InRange(urls.Count, 1, 3);
            listed.AddRange(urls);
        }

        Assert.Equal([$"{BaseUrl}/", $"{BaseUrl}/tags", $"{BaseUrl}/tags/notes", .. posts], listed);
        Assert.Equal(HttpStatusCode.NotFound, (await _author.GetAsync("/sitemap-4.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _author.GetAsync("/sitemap-0.xml")).StatusCode);
    }

    [Fact]
    public async Task A_sitemap_within_its_limit_has_no_parts()
    {
        Start(urlsPerFile: null);

        Assert.Equal(HttpStatusCode.NotFound, (await _author.GetAsync("/sitemap-1.xml")).StatusCode);
    }

    [Fact]
    public async Task Robots_txt_keeps_crawlers_out_of_the_desk_and_the_api_and_points_at_the_sitemap()
    {
        Start(urlsPerFile: null);

        var response = await _author.GetAsync("/robots.txt");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');

        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("User-agent: *", lines[0]);
        Assert.Contains("Disallow: /desk/", lines);
        Assert.Contains("Disallow: /api/", lines);
        Assert.Contains($"Sitemap: {BaseUrl}/sitemap.xml", lines);
    }

    [Fact]
    public void A_limit_beyond_the_protocols_50000_stops_the_service_from_starting()
    {
        var error = Assert.ThrowsAny<Exception>(() => Start(urlsPerFile: 50_001));

        Assert.Contains("UrlsPerFile", error.ToString(), StringComparison.Ordinal);
    }

    private void Start(int? urlsPerFile)
    {
        var settings = new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl };
        if (urlsPerFile is { } limit)
        {
            settings["Feeds:Sitemap:UrlsPerFile"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _server = new FeedsServer(settings: settings);
        _author = _server.CreateAuthorizedClient();
    }

    private async Task<string> Publish(string title, DateTimeOffset at, params string[] tags) =>
        (await _author.CreateAsync(new { url = $"https://example.com/{Guid.NewGuid():N}", title, tags, publishAt = at }))
        .GetProperty("permalink").GetString()!;

    private static List<string> Locations(XDocument sitemap) =>
        [.. sitemap.Root!.Elements(Sitemaps + "url").Select(u => (string)u.Element(Sitemaps + "loc")!)];
}
