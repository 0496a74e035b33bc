using System.Text.Json;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Publishing;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>How the site names itself and its author in feeds and pages, fresh and configured.</summary>
public sealed class SiteIdentityTests
{
    [Fact]
    public async Task A_fresh_install_is_titled_after_its_host_and_names_no_author_it_was_not_given()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl });
        var site = await PublishAndReadAsync(server);

        Assert.Equal("links.example", site.Home.Title);
        Assert.Equal("links.example", site.Home.QuerySelector("header .site")?.TextContent);
        Assert.Null(site.Home.QuerySelector("meta[name=author]"));
        Assert.Null(site.Home.QuerySelector("header .subtitle"));
        Assert.DoesNotContain("By ", site.Home.QuerySelector("footer")!.TextContent, StringComparison.Ordinal);

        // Atom requires an author of a feed whose entries name none (RFC 4287 4.1.1): the site answers for itself.
        Assert.Equal("links.example", (string?)site.Atom.Root!.Element(FeedClient.Atom + "title"));
        Assert.Equal(["links.example"], site.Atom.Root.Elements(FeedClient.Atom + "author").Select(a => (string?)a.Element(FeedClient.Atom + "name")));
        Assert.Null(site.Atom.Root.Element(FeedClient.Atom + "subtitle"));

        Assert.Equal("links.example", (string?)site.Rss.Root!.Element("channel")!.Element("title"));
        Assert.Empty(site.Rss.Descendants(FeedClient.Atom + "author"));

        Assert.Equal("links.example", site.Json.GetProperty("title").GetString());
        Assert.False(site.Json.TryGetProperty("authors", out _));
        Assert.False(site.Json.TryGetProperty("description", out _));

        Assert.DoesNotContain("The author", site.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_title_subtitle_and_author_win()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?>
        {
            ["Feeds:BaseUrl"] = BaseUrl,
            ["Feeds:Publishing:Title"] = "Jane's links",
            ["Feeds:Publishing:Subtitle"] = "What Jane read",
            ["Feeds:Publishing:Author"] = "Jane Doe",
            ["Feeds:Publishing:AuthorUrl"] = "https://jane.example/",
        });
        var site = await PublishAndReadAsync(server);

        Assert.Equal("Jane's links", site.Home.Title);
        Assert.Equal("What Jane read", site.Home.QuerySelector("header .subtitle")?.TextContent);
        Assert.Equal("Jane Doe", site.Home.QuerySelector("meta[name=author]")?.GetAttribute("content"));
        Assert.Equal("https://jane.example/", site.Home.QuerySelector("footer a[rel=author]")?.GetAttribute("href"));

        var author = Assert.Single(site.Atom.Root!.Elements(FeedClient.Atom + "author"));
        Assert.Equal("Jane's links", (string?)site.Atom.Root.Element(FeedClient.Atom + "title"));
        Assert.Equal(("Jane Doe", "https://jane.example/"), ((string?)author.Element(FeedClient.Atom + "name"), (string?)author.Element(FeedClient.Atom + "uri")));

        Assert.Equal("Jane's links", (string?)site.Rss.Root!.Element("channel")!.Element("title"));
        Assert.Equal("Jane Doe", (string?)site.Rss.Descendants(FeedClient.Atom + "author").Single().Element(FeedClient.Atom + "name"));

        Assert.Equal("Jane's links", site.Json.GetProperty("title").GetString());
        Assert.Equal("Jane Doe", site.Json.GetProperty("authors")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_author_url_without_an_author_stops_start_up()
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Feeds:Publishing:AuthorUrl"] = "https://jane.example/" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Feeds:Publishing:AuthorUrl", output, StringComparison.Ordinal);
    }

    private static async Task<SiteDocuments> PublishAndReadAsync(FeedsServer server)
    {
        var reader = server.CreateClient();
        await server.CreateAuthorizedClient().PublishAsync("A post");
        foreach (var path in new[] { "/everything.atom", "/everything.rss", "/everything.json" })
        {
            await reader.WaitForTitleAsync(path, "A post", TimeSpan.FromSeconds(10));
        }

        var atom = await reader.GetStringAsync("/everything.atom");
        var rss = await reader.GetStringAsync("/everything.rss");
        var json = await reader.GetStringAsync("/everything.json");
        var home = await reader.GetStringAsync("/");
        return new SiteDocuments(
            Parse(home), XDocument.Parse(atom), XDocument.Parse(rss), JsonDocument.Parse(json).RootElement.Clone(), atom + rss + json + home);
    }

    private sealed record SiteDocuments(AngleSharp.Html.Dom.IHtmlDocument Home, XDocument Atom, XDocument Rss, JsonElement Json, string Everything);
}
