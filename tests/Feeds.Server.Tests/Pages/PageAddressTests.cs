using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// What the public pages answer at addresses written otherwise or unknown, for periods, tags and sites with nothing to
/// show, and what a permalink says of itself: tests that need no site of their own share one, which holds a post of
/// March 2025 on example.com and a draft on drafted.example, by a clock in the middle of March 2025. Each test's posts
/// have tags and links no other test's have.
/// </summary>
public sealed class PageAddressTests(PageAddressTests.ReaderSite fixture) : IClassFixture<PageAddressTests.ReaderSite>
{
    private HttpClient Reader => fixture.Reader;

    [Theory]
    [InlineData("/archive/2023", "Nothing was published in 2023.")]
    [InlineData("/archive/2025/02", "Nothing was published in February 2025.")]
    [InlineData("/archive/2025/04", "April 2025 has not begun yet.")]
    [InlineData("/archive/2026", "2026 has not begun yet.")]
    [InlineData("/archive/2025/13", "There is no such month.")]
    [InlineData("/archive/2025/00", "There is no such month.")]
    [InlineData("/archive/0000", "There is no such year.")]
    public async Task Empty_future_and_impossible_periods_answer_404(string path, string message)
    {
        var response = await Reader.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith(message, AssertHtml(response, await response.Content.ReadAsStringAsync()).QuerySelector("main p")?.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/archive/2025/3", "/archive/2025/03")]
    [InlineData("/archive/02025/03", "/archive/2025/03")]
    [InlineData("/archive/2025/3?before=x", "/archive/2025/03?before=x")]
    [InlineData("/site/WWW.Example.COM", "/site/example.com")]
    [InlineData("/site/b%C3%BCcher.example", "/site/xn--bcher-kva.example")]
    [InlineData("/site/B%C3%BCcher.Example.?before=abc", "/site/xn--bcher-kva.example?before=abc")]
    public async Task Archive_and_site_addresses_written_otherwise_are_moved_permanently_to_their_one_address(string path, string canonical)
    {
        var response = await Reader.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(BaseUrl + canonical, response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("/site/drafted.example")]
    [InlineData("/site/nobody.example")]
    [InlineData("/site/not_a..domain")]
    [InlineData("/site/drafted.example.atom")]
    [InlineData("/site/nobody.example.json")]
    public async Task A_site_no_published_post_links_to_has_no_page_and_no_feed(string path)
    {
        var response = await Reader.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_feed_written_otherwise_is_moved_to_its_one_address()
    {
        var response = await Reader.GetAsync("/site/WWW.EXAMPLE.com.json");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/site/example.com.json", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_permalink_describes_itself_for_link_previews_and_search_engines_from_its_commentary()
    {
        var post = await fixture.Author.CreateAsync(new
        {
            url = "https://example.com/article",
            title = "An \"article\"",
            commentary = "Worth *reading* & <b>keeping</b>.\n\nA second paragraph.",
            tags = new[] { "Reading" },
            publishAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
        });
        var permalink = post.GetProperty("permalink").GetString()!;

        var page = await Reader.GetPageAsync(PathOf(permalink));

        string? Meta(string selector) => page.QuerySelector($"head meta{selector}")?.GetAttribute("content");
        const string Description = "Worth reading & keeping. A second paragraph.";
        Assert.Equal(Description, Meta("[name=description]"));
        Assert.Equal("article", Meta("[property='og:type']"));
        Assert.Equal("An \"article\"", Meta("[property='og:title']"));
        Assert.Equal(permalink, Meta("[property='og:url']"));
        Assert.Equal(Description, Meta("[property='og:description']"));
        Assert.Equal("links.example", Meta("[property='og:site_name']"));
        Assert.Equal("2025-03-04T05:06:07Z", Meta("[property='article:published_time']"));
        Assert.Equal("Reading", Meta("[property='article:tag']"));
        Assert.Equal("summary", Meta("[name='twitter:card']"));
        Assert.Equal("An \"article\"", Meta("[name='twitter:title']"));
        Assert.Equal(Description, Meta("[name='twitter:description']"));
        Assert.Single(page.QuerySelectorAll("head meta[name=description]"));
    }

    [Fact]
    public async Task A_long_commentary_is_described_by_its_first_words_and_an_ellipsis()
    {
        var words = string.Join(' ', Enumerable.Range(1, 100).Select(i => $"word{i}"));
        var post = await fixture.Author.CreateAsync(new { url = "https://example.com/long", title = "Long", commentary = words, publishAt = ReaderSite.Now.AddDays(-1) });

        var page = await Reader.GetPageAsync(PathOf(post.GetProperty("permalink").GetString()!));

        var description = page.QuerySelector("head meta[name=description]")?.GetAttribute("content")!;
        Assert.True(description.Length <= 200, description);
        Assert.StartsWith("word1 word2 word3", description, StringComparison.Ordinal);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
        Assert.Contains(description[..^1], words, StringComparison.Ordinal);
        Assert.Matches("word\\d+…$", description);
    }

    [Fact]
    public async Task A_cursor_the_site_never_gave_out_is_a_400_page()
    {
        var response = await Reader.GetAsync("/?before=not-a-cursor");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertHtml(response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task More_than_three_tags_or_an_unknown_tag_is_a_404_page()
    {
        await PublishAsync("Tagged", "a", "b", "c", "d");

        foreach (var path in new[] { "/tags/nope", "/tags/a+nope", "/tags/a+b+c+d", "/tags/a++b" })
        {
            var response = await Reader.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            AssertHtml(response, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_renamed_tags_old_address_moves_permanently_to_the_new_page()
    {
        await PublishAsync("Learning", "ML", "Python");
        var rename = await fixture.Author.PostAsJsonAsync("/api/tags/ml/rename", new { to = "Machine Learning" });
        Assert.True(rename.IsSuccessStatusCode);

        var single = await Reader.GetAsync("/tags/ml");
        var combination = await Reader.GetAsync("/tags/python+ml?before=x");

        Assert.Equal(HttpStatusCode.MovedPermanently, single.StatusCode);
        Assert.Equal(new Uri($"{BaseUrl}/tags/machine-learning"), single.Headers.Location);
        Assert.Equal(HttpStatusCode.MovedPermanently, combination.StatusCode);
        Assert.Equal(new Uri($"{BaseUrl}/tags/python+machine-learning?before=x"), combination.Headers.Location);
        Assert.Equal(["Learning"], (await Reader.GetPageAsync("/tags/machine-learning")).PostTitles());
    }

    [Fact]
    public async Task A_tag_written_differently_moves_permanently_to_its_slug()
    {
        await PublishAsync("Snakes", "Python");

        var response = await Reader.GetAsync("/tags/Python");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri($"{BaseUrl}/tags/python"), response.Headers.Location);
    }

    [Fact]
    public async Task Feed_urls_under_tags_are_not_taken_for_tag_pages()
    {
        await PublishAsync("Snakes", "Python");

        foreach (var path in new[] { "/tags/python.atom", "/tags/python.rss", "/tags/python.json", "/tags/python+ai.atom" })
        {
            var response = await Reader.GetAsync(path);
            Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_permalink_shows_the_post_and_advertises_the_firehose_and_its_tags_feeds()
    {
        var post = await PublishAsync("The post", "Python", "AI");

        var page = await Reader.GetPageAsync(PathOf(post.GetProperty("permalink").GetString()!));

        Assert.Equal(["The post"], page.PostTitles());
        Assert.Equal("The post", page.QuerySelector("article h1")?.TextContent);
        Assert.Equal(post.GetProperty("permalink").GetString(), page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal([.. FeedsOf("/everything"), .. FeedsOf("/tags/python"), .. FeedsOf("/tags/ai")], page.Autodiscovery());
        Assert.Equal(9, page.QuerySelectorAll(".subscribe a").Length);
    }

    [Fact]
    public async Task A_permalink_under_the_wrong_date_moves_permanently_to_the_right_one()
    {
        var post = await fixture.Author.CreateAsync(new
        {
            url = "https://example.com/dated",
            title = "Dated",
            publishAt = new DateTimeOffset(2025, 3, 4, 23, 30, 0, TimeSpan.Zero),
        });

        foreach (var path in new[] { "/2024/03/04/dated", "/2025/3/4/dated", "/2025/03/05/dated" })
        {
            var response = await Reader.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.MovedPermanently, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(new Uri(post.GetProperty("permalink").GetString()!), response.Headers.Location);
        }
    }

    [Fact]
    public async Task An_unknown_permalink_is_a_404_page()
    {
        var response = await Reader.GetAsync("/2025/03/04/no-such-post");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = AssertHtml(response, await response.Content.ReadAsStringAsync());
        Assert.Equal("Not found", page.QuerySelector("h1")?.TextContent);
    }

    [Fact]
    public async Task Pages_forbid_scripts_through_their_content_security_policy()
    {
        var response = await Reader.GetAsync("/");

        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private Task<JsonElement> PublishAsync(string title, params string[] tags) =>
        fixture.Author.CreateAsync(Infrastructure.Posts.Valid(title, tags));

    /// <summary>The site the tests read: one published post of March 2025 and one draft, the clock fixed in March.</summary>
    public sealed class ReaderSite : IAsyncLifetime
    {
        /// <summary>The service's "now": the middle of March 2025, whatever the machine's clock says.</summary>
        public static readonly DateTimeOffset Now = new(2025, 3, 15, 12, 0, 0, TimeSpan.Zero);

        public FeedsServer Server { get; } = new(settings: new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl }, clock: new FakeTimeProvider(Now));

        public HttpClient Author { get; private set; } = null!;

        /// <summary>An anonymous reader that reads redirects (to the configured base URL, which does not resolve here) and never follows them.</summary>
        public HttpClient Reader { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Author = Server.CreateAuthorizedClient();
            Reader = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Author.BaseAddress };
            await Author.CreateAsync(new { url = "https://example.com/m", title = "March", commentary = "Worth *reading*.", publishAt = Now.AddDays(-1) });
            await Author.CreateAsync(new { url = "https://drafted.example/x", title = "Secret draft", status = "draft" });
        }

        public async ValueTask DisposeAsync()
        {
            Reader.Dispose();
            await Server.DisposeAsync();
        }
    }
}
