using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Publishing;
using Microsoft.Extensions.Time.Testing;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// The pages a reader finds their way by: the tag index, the archive, and the posts linking to one site, each test on a
/// site of its own (<see cref="PageAddressTests"/> shares one for addresses and empty periods).
/// </summary>
public sealed class ReaderPagesTests : IDisposable
{
    /// <summary>The service's "now": the middle of March 2025, whatever the machine's clock says.</summary>
    private static readonly DateTimeOffset Now = new(2025, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly FeedsServer _server;
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public ReaderPagesTests()
    {
        _server = new(settings: new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl }, clock: _clock);
        _author = _server.CreateAuthorizedClient();
        // Redirects point at the configured public base URL, which does not resolve here: read them, never follow.
        _reader = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _author.BaseAddress };
    }

    public void Dispose()
    {
        _reader.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task The_tag_index_lists_every_published_tag_with_its_count_by_name_or_by_use()
    {
        await Publish("One", "https://example.com/1", Now.AddDays(-3), "Zebra", "apple");
        await Publish("Two", "https://example.com/2", Now.AddDays(-2), "Zebra");
        await Publish("Three", "https://example.com/3", Now.AddDays(-1), "Zebra", "Mango");
        await Draft("Hidden", "https://example.com/4", "Secret tag", "apple");

        var byName = await _reader.GetPageAsync("/tags");
        var byUse = await _reader.GetPageAsync("/tags?sort=count");

        Assert.Equal(["apple (1)", "Mango (1)", "Zebra (3)"], byName.QuerySelectorAll(".tag-index li").Select(li => li.TextContent));
        Assert.Equal(["Zebra (3)", "apple (1)", "Mango (1)"], byUse.QuerySelectorAll(".tag-index li").Select(li => li.TextContent));
        Assert.Equal($"{BaseUrl}/tags/zebra", byUse.QuerySelector(".tag-index a")?.GetAttribute("href"));
        Assert.Equal("by name", byName.QuerySelector(".sorting [aria-current=page]")?.TextContent);
        Assert.Equal("by use", byUse.QuerySelector(".sorting [aria-current=page]")?.TextContent);
        Assert.Equal($"{BaseUrl}/tags?sort=count", byName.QuerySelector(".sorting a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task An_order_the_tag_index_does_not_know_is_a_400_page()
    {
        var response = await _reader.GetAsync("/tags?sort=colour");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'sort'", AssertHtml(response, await response.Content.ReadAsStringAsync()).QuerySelector("main p")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_public_page_links_to_the_recent_posts_the_tags_and_the_archive()
    {
        var post = await Publish("Linked", "https://example.com/linked", Now.AddDays(-1), "Python");
        string[] paths =
        [
            "/", "/tags", "/tags/python", "/archive", "/archive/2025", "/archive/2025/03", "/site/example.com",
            PathOf(post.GetProperty("permalink").GetString()!),
        ];

        foreach (var path in paths)
        {
            var page = await _reader.GetPageAsync(path);
            Assert.Equal(
                [$"{BaseUrl}/", $"{BaseUrl}/tags", $"{BaseUrl}/archive"],
                page.QuerySelectorAll("header nav[aria-label=Site] a").Select(a => a.GetAttribute("href")));
        }
    }

    [Fact]
    public async Task The_archive_lists_each_year_and_month_with_published_posts_and_their_counts()
    {
        await Publish("Old", "https://example.com/old", new DateTimeOffset(2024, 12, 31, 23, 59, 0, TimeSpan.Zero));
        await Publish("January", "https://example.com/jan", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await Publish("March 1", "https://example.com/m1", Now.AddDays(-2));
        await Publish("March 2", "https://example.com/m2", Now.AddDays(-1));
        await Draft("Draft in February", "https://example.com/feb");

        var archive = await _reader.GetPageAsync("/archive");

        Assert.Equal(["2025 (3 posts)", "2024 (1 post)"], archive.QuerySelectorAll(".archive > li").Select(li => li.FirstElementChild!.TextContent + li.Children[1].TextContent));
        Assert.Equal(["January (1)", "March (2)"], archive.QuerySelectorAll(".archive > li")[0].QuerySelectorAll(".months li").Select(li => li.TextContent));
        Assert.Equal(
            [$"{BaseUrl}/archive/2025", $"{BaseUrl}/archive/2025/01", $"{BaseUrl}/archive/2025/03", $"{BaseUrl}/archive/2024", $"{BaseUrl}/archive/2024/12"],
            archive.QuerySelectorAll(".archive a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_year_page_lists_its_months_with_posts_and_leads_to_the_years_around_it()
    {
        await Publish("2023", "https://example.com/a", new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await Publish("2024 May", "https://example.com/b", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await Publish("2024 December", "https://example.com/c", new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await Publish("2025", "https://example.com/d", Now.AddDays(-1));

        var year = await _reader.GetPageAsync("/archive/2024");

        Assert.Equal("Posts of 2024", year.QuerySelector("h1")?.TextContent);
        Assert.Equal(["May (1)", "December (1)"], year.QuerySelectorAll(".archive li").Select(li => li.TextContent));
        Assert.Equal($"{BaseUrl}/archive/2023", year.QuerySelector("a[rel=prev]")?.GetAttribute("href"));
        Assert.Equal($"{BaseUrl}/archive/2025", year.QuerySelector("a[rel=next]")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_month_page_lists_its_published_posts_newest_first_and_leads_to_the_months_around_it()
    {
        await Publish("November", "https://example.com/n", new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.Zero));
        await Publish("Early December", "https://example.com/e", new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await Publish("Late December", "https://example.com/l", new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero));
        await Publish("January", "https://example.com/j", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await Draft("Draft of December", "https://example.com/d");

        var month = await _reader.GetPageAsync("/archive/2024/12");

        Assert.Equal("Posts of December 2024", month.QuerySelector("h1")?.TextContent);
        Assert.Equal(["Late December", "Early December"], month.PostTitles());
        Assert.Equal($"{BaseUrl}/archive/2024/11", month.QuerySelector("nav[aria-label='Other months'] a[rel=prev]")?.GetAttribute("href"));
        Assert.Equal($"{BaseUrl}/archive/2025/01", month.QuerySelector("nav[aria-label='Other months'] a[rel=next]")?.GetAttribute("href"));
        Assert.Equal($"{BaseUrl}/archive/2024/12", month.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_long_month_is_paged_and_every_post_appears_once()
    {
        for (var i = 0; i < 32; i++)
        {
            await Publish($"Day {i}", $"https://example.com/{i}", new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i));
        }

        var first = await _reader.GetPageAsync("/archive/2025/02");
        var older = first.QuerySelector(".pager a[rel=next]")?.GetAttribute("href");
        Assert.NotNull(older);
        var second = await _reader.GetPageAsync(PathOf(older));

        Assert.Equal(32, first.PostTitles().Concat(second.PostTitles()).Distinct().Count());
        Assert.Equal(["Day 1", "Day 0"], second.PostTitles());
        Assert.Equal(older, second.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_month_that_has_begun_by_the_services_clock_has_its_page()
    {
        await Publish("March", "https://example.com/m", Now.AddDays(-1));
        Assert.Equal(HttpStatusCode.NotFound, (await _reader.GetAsync("/archive/2025/04")).StatusCode);

        _clock.SetUtcNow(new DateTimeOffset(2025, 4, 1, 0, 0, 1, TimeSpan.Zero));
        await Publish("April", "https://example.com/a", new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["April"], (await _reader.GetPageAsync("/archive/2025/04")).PostTitles());
    }

    [Theory]
    [InlineData("https://www.example.com/post", "example.com", "/site/example.com")]
    [InlineData("https://Blog.Example.COM:8443/post", "blog.example.com", "/site/blog.example.com")]
    [InlineData("https://bücher.example/buch", "bücher.example", "/site/xn--bcher-kva.example")]
    public async Task Each_post_shows_the_site_it_links_to_beside_its_title_leading_to_that_sites_page(string url, string shown, string path)
    {
        var post = await Publish("A link", url, Now.AddDays(-1));

        foreach (var page in new[] { await _reader.GetPageAsync("/"), await _reader.GetPageAsync(PathOf(post.GetProperty("permalink").GetString()!)) })
        {
            var site = page.QuerySelector("article.post .site a")!;
            Assert.Equal(shown, site.TextContent);
            Assert.Equal(BaseUrl + path, site.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task A_site_page_lists_the_published_posts_linking_to_that_site_and_no_other()
    {
        await Publish("Bare", "https://example.com/1", Now.AddDays(-4));
        await Publish("With www", "https://www.example.com/2", Now.AddDays(-3));
        await Publish("Subdomain", "https://blog.example.com/3", Now.AddDays(-2));
        await Publish("Elsewhere", "https://other.example/4", Now.AddDays(-1));
        await Draft("Draft", "https://example.com/5");

        var site = await _reader.GetPageAsync("/site/example.com");
        var subdomain = await _reader.GetPageAsync("/site/blog.example.com");

        Assert.Equal("Posts linking to example.com", site.QuerySelector("h1")?.TextContent);
        Assert.Equal(["With www", "Bare"], site.PostTitles());
        Assert.Equal(["Subdomain"], subdomain.PostTitles());
        Assert.Equal($"{BaseUrl}/site/example.com", site.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_site_page_advertises_the_sites_feeds_which_hold_its_posts_with_validators()
    {
        await Publish("On the site", "https://example.com/1", Now.AddDays(-2));
        await Publish("Off the site", "https://other.example/1", Now.AddDays(-1));

        var page = await _reader.GetPageAsync("/site/example.com");

        Assert.Equal(FeedsOf("/site/example.com"), page.Autodiscovery());
        Assert.Equal(
            [$"{BaseUrl}/site/example.com.atom", $"{BaseUrl}/site/example.com.rss", $"{BaseUrl}/site/example.com.json"],
            page.QuerySelectorAll(".subscribe a").Select(a => a.GetAttribute("href")));
        var atom = await _reader.GetAtomAsync("/site/example.com.atom");
        Assert.Equal(["On the site"], atom.EntryTitles());
        Assert.Equal($"{BaseUrl}/site/example.com.atom", atom.Link("self"));
        Assert.Equal($"{BaseUrl}/site/example.com", atom.Link("alternate"));
        var json = await _reader.GetFromJsonAsync<JsonElement>("/site/example.com.json");
        Assert.Equal(["On the site"], json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));

        var first = await _reader.GetAsync("/site/example.com.rss");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/site/example.com.rss");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(first.Headers.ETag!.ToString()));
        Assert.Equal("application/rss+xml; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await _reader.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task A_site_feed_follows_posts_that_come_and_go()
    {
        var post = await Publish("Moving", "https://example.com/1", Now.AddDays(-2));
        await Publish("Staying", "https://example.com/2", Now.AddDays(-1));
        await _reader.WaitForTitleAsync("/site/example.com.atom", "Moving", TimeSpan.FromSeconds(10));

        var moved = await _author.PatchAsJsonAsync($"/api/posts/{post.GetProperty("id").GetString()}", new { url = "https://elsewhere.example/1" });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());

        await WaitUntilAsync(async () => !(await _reader.GetStringAsync("/site/example.com.atom")).Contains("Moving", StringComparison.Ordinal));
        Assert.Equal(["Staying"], (await _reader.GetAtomAsync("/site/example.com.atom")).EntryTitles());
        await _reader.WaitForTitleAsync("/site/elsewhere.example.atom", "Moving", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Every_page_names_its_canonical_address()
    {
        var post = await Publish("Canonical", "https://example.com/c", Now.AddDays(-1), "Python");
        var permalink = post.GetProperty("permalink").GetString()!;
        (string Path, string Canonical)[] pages =
        [
            ("/", $"{BaseUrl}/"),
            ("/tags", $"{BaseUrl}/tags"),
            ("/tags?sort=count", $"{BaseUrl}/tags?sort=count"),
            ("/tags/python", $"{BaseUrl}/tags/python"),
            ("/archive", $"{BaseUrl}/archive"),
            ("/archive/2025", $"{BaseUrl}/archive/2025"),
            ("/archive/2025/03", $"{BaseUrl}/archive/2025/03"),
            ("/site/example.com", $"{BaseUrl}/site/example.com"),
            (PathOf(permalink), permalink),
        ];

        foreach (var (path, canonical) in pages)
        {
            var links = (await _reader.GetPageAsync(path)).QuerySelectorAll("head link[rel=canonical]");
            Assert.Equal([canonical], links.Select(l => l.GetAttribute("href")));
        }
    }

    private Task<JsonElement> Publish(string title, string url, DateTimeOffset at, params string[] tags) =>
        _author.CreateAsync(new { url, title, commentary = "Worth *reading*.", tags, publishAt = at });

    private Task<JsonElement> Draft(string title, string url, params string[] tags) =>
        _author.CreateAsync(new { url, title, tags, status = "draft" });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
