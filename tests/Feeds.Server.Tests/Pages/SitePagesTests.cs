using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// The home, tag and permalink pages as readers see them, each test on a site of its own: what a page lists depends on
/// every post the site holds (<see cref="PageAddressTests"/> shares one site for what does not).
/// </summary>
public sealed class SitePagesTests : IDisposable
{
    // Pages are asked for at the Kestrel address while the site is configured elsewhere, as behind a proxy.
    private readonly FeedsServer _server = new(settings: new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl });
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public SitePagesTests()
    {
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
    public async Task The_home_page_lists_published_posts_newest_first_and_the_tags_with_counts()
    {
        await Publish("First", "Python");
        await Publish("Second", "Python", "AI");
        await Publish("Third");

        var home = await _reader.GetPageAsync("/");

        Assert.Equal(["Third", "Second", "First"], home.PostTitles());
        Assert.Equal(
            ["AI (1)", "Python (2)"],
            home.QuerySelectorAll("nav.tags li").Select(li => li.TextContent));
        Assert.Equal(
            [$"{BaseUrl}/tags/ai", $"{BaseUrl}/tags/python"],
            home.QuerySelectorAll("nav.tags li a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Each_post_shows_its_link_commentary_via_date_tags_and_permalink()
    {
        var post = await _author.CreateAsync(new
        {
            url = "https://example.com/article",
            title = "An article",
            commentary = "Worth *reading*.",
            tags = new[] { "Machine Learning" },
            via = new { url = "https://friend.example/post", title = "A friend" },
            publishAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
        });

        var article = (await _reader.GetPageAsync("/")).QuerySelector("article.post")!;

        var title = article.QuerySelector("h2 a")!;
        Assert.Equal("https://example.com/article", title.GetAttribute("href"));
        Assert.Equal("An article", title.TextContent);
        Assert.Equal("reading", article.QuerySelector(".commentary em")?.TextContent);
        Assert.Equal("https://friend.example/post", article.QuerySelector(".via a")?.GetAttribute("href"));
        Assert.Equal("A friend", article.QuerySelector(".via a")?.TextContent);
        var permalink = article.QuerySelector("a[rel=bookmark]")!;
        Assert.Equal(post.GetProperty("permalink").GetString(), permalink.GetAttribute("href"));
        Assert.Equal($"{BaseUrl}/2025/03/04/an-article", permalink.GetAttribute("href"));
        Assert.Equal("2025-03-04T05:06:07Z", permalink.QuerySelector("time")?.GetAttribute("datetime"));
        Assert.Equal("4 March 2025", permalink.TextContent);
        var tag = article.QuerySelector("a[rel=tag]")!;
        Assert.Equal(($"{BaseUrl}/tags/machine-learning", "Machine Learning"), (tag.GetAttribute("href"), tag.TextContent));
    }

    [Fact]
    public async Task The_home_page_advertises_the_firehose_and_links_to_it_visibly()
    {
        var home = await _reader.GetPageAsync("/");

        Assert.Equal(FeedsOf("/everything"), home.Autodiscovery());
        Assert.Equal(
            [$"{BaseUrl}/everything.atom", $"{BaseUrl}/everything.rss", $"{BaseUrl}/everything.json"],
            home.QuerySelectorAll(".subscribe a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Older_posts_are_one_link_away_and_every_post_appears_exactly_once()
    {
        for (var i = 1; i <= 32; i++)
        {
            await Publish($"Post {i}");
        }

        var first = await _reader.GetPageAsync("/");
        var older = first.QuerySelector(".pager a[rel=next]")?.GetAttribute("href");
        Assert.NotNull(older);
        var second = await _reader.GetPageAsync(PathOf(older));

        Assert.Equal(30, first.PostTitles().Length);
        Assert.Equal("Post 32", first.PostTitles()[0]);
        Assert.Equal(["Post 2", "Post 1"], second.PostTitles());
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.Equal($"{BaseUrl}/", second.QuerySelector(".pager a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_tag_page_shows_only_that_tags_posts_and_advertises_its_feeds()
    {
        await Publish("Snakes", "Python");
        await Publish("Coffee", "Java");
        await Publish("Both", "Python", "Java");

        var page = await _reader.GetPageAsync("/tags/python");

        Assert.Equal(["Both", "Snakes"], page.PostTitles());
        Assert.Equal("Posts tagged Python", page.QuerySelector("h1")?.TextContent);
        Assert.Equal(FeedsOf("/tags/python"), page.Autodiscovery());
        Assert.Equal(
            [$"{BaseUrl}/tags/python.atom", $"{BaseUrl}/tags/python.rss", $"{BaseUrl}/tags/python.json"],
            page.QuerySelectorAll(".subscribe a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_combination_page_shows_only_posts_carrying_every_tag()
    {
        await Publish("AI only", "AI");
        await Publish("LLMs only", "LLMs");
        await Publish("AI and LLMs", "AI", "LLMs");
        await Publish("All three", "LLMs", "AI", "Python");

        var pair = await _reader.GetPageAsync("/tags/ai+llms");
        var triple = await _reader.GetPageAsync("/tags/ai+llms+python");

        Assert.Equal(["All three", "AI and LLMs"], pair.PostTitles());
        Assert.Equal(FeedsOf("/tags/ai+llms"), pair.Autodiscovery());
        Assert.Equal(["All three"], triple.PostTitles());
    }

    [Fact]
    public async Task Drafts_and_scheduled_posts_appear_nowhere()
    {
        await Publish("Public", "shared");
        var draft = await _author.CreateAsync(new { url = "https://example.com/d", title = "Secret draft", tags = new[] { "shared", "draftonly" }, status = "draft" });
        var scheduled = await _author.CreateAsync(new
        {
            url = "https://example.com/s",
            title = "Secret scheduled",
            tags = new[] { "shared" },
            publishAt = _server.Now.AddDays(3),
        });

        var home = await _reader.GetAsync("/");
        var tag = await _reader.GetAsync("/tags/shared");
        var homeHtml = await home.Content.ReadAsStringAsync();
        var tagHtml = await tag.Content.ReadAsStringAsync();

        Assert.Equal(["Public"], Parse(homeHtml).PostTitles());
        Assert.Equal(["Public"], Parse(tagHtml).PostTitles());
        Assert.DoesNotContain("Secret", homeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("draftonly", homeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", tagHtml, StringComparison.Ordinal);
        foreach (var post in new[] { draft, scheduled })
        {
            var response = await _reader.GetAsync(PathOf(post.GetProperty("permalink").GetString()!));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Markup_in_titles_tags_and_via_is_shown_as_text()
    {
        const string Evil = "<script>alert(1)</script>\"'&";
        var post = await _author.CreateAsync(new
        {
            url = "https://example.com/?a=1&b=\"2\"",
            title = Evil,
            tags = new[] { "<b>bold</b>" },
            via = new { url = "https://friend.example/", title = Evil },
        });

        foreach (var path in new[] { "/", "/tags/b-bold-b", PathOf(post.GetProperty("permalink").GetString()!) })
        {
            var page = await _reader.GetPageAsync(path);
            Assert.Empty(page.QuerySelectorAll("script, b"));
            var article = page.QuerySelector("article.post")!;
            Assert.Equal(Evil, article.QuerySelector(":is(h1, h2) a")?.TextContent);
            Assert.Equal("https://example.com/?a=1&b=\"2\"", article.QuerySelector(":is(h1, h2) a")?.GetAttribute("href"));
            Assert.Equal(Evil, article.QuerySelector(".via a")?.TextContent);
            Assert.Equal("<b>bold</b>", article.QuerySelector("a[rel=tag]")?.TextContent);
        }

        var home = await _reader.GetPageAsync("/");
        Assert.Contains("<b>bold</b> (1)", home.QuerySelectorAll("nav.tags li").Select(li => li.TextContent));
        var tagPage = await _reader.GetPageAsync("/tags/b-bold-b");
        Assert.Equal("links.example: <b>bold</b>", tagPage.Title);
        Assert.Equal("Posts tagged <b>bold</b>", tagPage.QuerySelector("h1")?.TextContent);
    }

    [Fact]
    public async Task Any_unicode_a_post_may_hold_keeps_the_page_well_formed()
    {
        await Publish("Émoji 🎉, עברית\u200f, 日本語 and a \u202eright-to-left\u202c override", "日本語", "Café");

        var home = await _reader.GetPageAsync("/");
        var tag = await _reader.GetPageAsync("/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E");

        Assert.Equal("Émoji 🎉, עברית\u200f, 日本語 and a \u202eright-to-left\u202c override", Assert.Single(tag.PostTitles()));
        Assert.Contains($"{BaseUrl}/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E", home.QuerySelectorAll("nav.tags a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Text_beyond_ASCII_is_written_as_UTF_8_not_as_character_references()
    {
        var post = await Publish("Café · 日本語", "Café");

        var html = await _reader.GetStringAsync(PathOf(post.GetProperty("permalink").GetString()!));

        Assert.Contains("<title>Café · 日本語 · ", html, StringComparison.Ordinal);
        Assert.Contains(">Café</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#xE9;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#xB7;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unchanged_page_revalidates_with_304_and_HEAD_sends_no_body()
    {
        await Publish("Cached");
        var first = await _reader.GetAsync("/");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/");
        revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true));
        var notModified = await _reader.SendAsync(revalidate);
        var head = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html; charset=utf-8", head.Content.Headers.ContentType?.ToString());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        await Publish("Newer");
        using var after = new HttpRequestMessage(HttpMethod.Get, "/");
        after.Headers.IfNoneMatch.Add(etag);
        var changed = await _reader.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Newer", Parse(await changed.Content.ReadAsStringAsync()).PostTitles()[0]);
    }

    private Task<JsonElement> Publish(string title, params string[] tags) =>
        _author.CreateAsync(Infrastructure.Posts.Valid(title, tags));
}
