using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Publishing;
using Feeds.Tests;

namespace Feeds.Server.Tests.Search;

/// <summary><c>/search.atom?q=</c>, <c>.rss</c> and <c>.json</c>: a search to subscribe to, served like every other feed.</summary>
public sealed class SearchFeedTests(SearchFeedTests.Site site) : IClassFixture<SearchFeedTests.Site>
{
    private HttpClient Reader => site.Reader;

    [Fact]
    public async Task A_search_feed_holds_the_newest_published_matches_and_never_a_draft()
    {
        var feed = await Reader.GetAtomAsync("/search.atom?q=heron");

        Assert.Equal(Enumerable.Range(0, Site.EntriesPerFeed).Select(i => $"Heron {Site.Herons - 1 - i}"), feed.EntryTitles());
        Assert.DoesNotContain("Heron draft", feed.ToString(), StringComparison.Ordinal);
        Assert.Equal("Birds: search for heron", (string?)feed.Root!.Element(FeedClient.Atom + "title"));
    }

    [Fact]
    public async Task A_reader_asking_for_drafts_gets_an_empty_feed()
    {
        var feed = await Reader.GetAtomAsync("/search.atom?q=" + Uri.EscapeDataString("is:draft heron"));

        Assert.Empty(feed.EntryTitles());
    }

    [Fact]
    public async Task The_next_link_pages_through_every_match_once()
    {
        var titles = new List<string>();
        string? next = "/search.atom?q=heron";
        while (next is not null)
        {
            var page = await Reader.GetAtomAsync(next);
            titles.AddRange(page.EntryTitles());
            next = page.Link("next") is { } url ? new Uri(url).PathAndQuery : null;
        }

        Assert.Equal(Enumerable.Range(0, Site.Herons).Select(i => $"Heron {Site.Herons - 1 - i}"), titles);
    }

    [Fact]
    public async Task Queries_that_find_the_same_posts_name_one_feed_in_its_self_link()
    {
        var feed = await Reader.GetAtomAsync("/search.atom?q=" + Uri.EscapeDataString("tag:Birds   heron"));

        Assert.Equal(site.Url("/search.atom?q=heron%20tag%3Abirds"), feed.Link("self"));
        Assert.Equal(site.Url("/search?q=heron%20tag%3Abirds"), feed.Link("alternate"));
    }

    [Fact]
    public async Task A_second_request_with_the_etag_gets_304_in_any_coding()
    {
        var first = await Reader.GetAsync("/search.rss?q=heron");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/search.rss?q=heron");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        again.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        var response = await Reader.SendAsync(again);

        Assert.Equal("application/rss+xml; charset=utf-8", first.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("Accept-Encoding", response.Headers.Vary.Single());
    }

    [Fact]
    public async Task A_reader_accepting_brotli_gets_the_precompressed_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/search.json?q=heron");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        var response = await Reader.SendAsync(request);

        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("application/feed+json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task A_new_match_is_in_the_feed_at_once_although_the_feed_was_served_before()
    {
        Assert.Empty((await Reader.GetAtomAsync("/search.atom?q=kingfisher")).EntryTitles());

        await site.Author.CreateAsync(new { url = "https://example.com/kingfisher", title = "Kingfisher", status = "published" });

        Assert.Equal(["Kingfisher"], (await Reader.GetAtomAsync("/search.atom?q=kingfisher")).EntryTitles());
    }

    [Theory]
    [InlineData("")]
    [InlineData("%20%20")]
    public async Task A_search_feed_without_a_query_is_a_400_naming_q(string q)
    {
        var response = await Reader.GetAsync("/search.atom?q=" + q);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task A_bad_position_is_a_400_naming_after()
    {
        var response = await Reader.GetAsync("/search.atom?q=heron&after=nonsense");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("after", out _));
    }

    [Theory]
    [InlineData("\"unpaired NEAR( * -")]
    [InlineData("*")]
    [InlineData("heron OR AND NOT ^title:x")]
    public async Task Hostile_queries_answer_a_feed(string q)
    {
        var response = await Reader.GetAsync("/search.atom?q=" + Uri.EscapeDataString(q));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_search_page_advertises_and_links_the_feeds_of_its_search()
    {
        var html = await Reader.GetStringAsync("/search?q=" + Uri.EscapeDataString("tag:Birds heron"));

        var alternates = Regex.Matches(html, "<link rel=\"alternate\" type=\"([^\"]+)\" title=\"([^\"]+)\" href=\"([^\"]+)\"")
            .Select(m => (Type: WebUtility.HtmlDecode(m.Groups[1].Value), Title: WebUtility.HtmlDecode(m.Groups[2].Value), Href: WebUtility.HtmlDecode(m.Groups[3].Value)));
        Assert.Equal(
            [
                ("application/atom+xml", "Birds: search for heron tag:birds (Atom)", site.Url("/search.atom?q=heron%20tag%3Abirds")),
                ("application/rss+xml", "Birds: search for heron tag:birds (RSS)", site.Url("/search.rss?q=heron%20tag%3Abirds")),
                ("application/feed+json", "Birds: search for heron tag:birds (JSON Feed)", site.Url("/search.json?q=heron%20tag%3Abirds")),
            ],
            alternates);
        Assert.Contains($"<a href=\"{site.Url("/search.rss?q=heron%20tag%3Abirds")}\">RSS</a>", html);
    }

    [Fact]
    public async Task The_search_page_without_a_query_advertises_no_search_feed()
    {
        var html = await Reader.GetStringAsync("/search");

        Assert.DoesNotContain("/search.atom", html);
    }

    [Theory]
    [InlineData("heron")]
    [InlineData("site:example.com tag:birds")]
    [InlineData("\"unpaired NEAR(")]
    public async Task Served_search_atom_passes_the_rfc_4287_validator(string q)
    {
        var validator = ExternalTools.Require("validate-atom.sh", "jing", "xmllint", "xmlstarlet");
        var url = site.Url("/search.atom?q=" + Uri.EscapeDataString(q));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [url]);

        Assert.True(exitCode == 0, $"validate-atom.sh {url} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("heron")]
    [InlineData("nothing-matches-this")]
    public async Task Served_search_json_feed_passes_the_json_feed_1_1_schema(string q)
    {
        var validator = ExternalTools.Require("validate-jsonfeed.sh", "node");
        var url = site.Url("/search.json?q=" + Uri.EscapeDataString(q));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [url]);

        Assert.True(exitCode == 0, $"validate-jsonfeed.sh {url} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_reads_the_ids_and_titles_of_the_newest_matches(string format)
    {
        var parser = ExternalTools.Require("parse-feedparser.py", "python3");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, [site.Url($"/search.{format}?q=heron")]);

        Assert.True(exitCode == 0, $"parse-feedparser.py exited {exitCode}:\n{stdout}\n{stderr}");
        var parsed = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, parsed.GetProperty("bozo").GetInt32());
        var entries = parsed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, Site.EntriesPerFeed).Select(i => $"Heron {Site.Herons - 1 - i}"), entries.Select(e => e.GetProperty("title").GetString()));
        Assert.All(entries, e => Assert.Contains(":post:", e.GetProperty("id").GetString(), StringComparison.Ordinal));
    }

    /// <summary>Twelve published herons on fixed past days (ten entries a feed, so the feed pages), a draft heron, and other birds.</summary>
    public sealed class Site : ServerFixture
    {
        public const int EntriesPerFeed = 10;
        public const int Herons = 12;

        private static readonly DateTimeOffset FirstPublished = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Feeds:Publishing:EntriesPerFeed"] = $"{EntriesPerFeed}",
            ["Feeds:Publishing:Title"] = "Birds",
        };

        public HttpClient Reader { get; private set; } = null!;

        public string Url(string path) => new Uri(Server.Address, path).AbsoluteUri;

        protected override async Task SeedAsync()
        {
            Reader = Server.CreateClient();
            for (var i = 0; i < Herons; i++)
            {
                // The oldest heron is the best match, so the feed's order can only come from the dates.
                await Author.CreateAsync(new
                {
                    url = $"https://example.com/heron/{i}",
                    title = $"Heron {i}",
                    commentary = i == 0 ? "Heron, heron, heron: a grey heron & <friends>." : "Seen by the river.",
                    tags = new[] { "Birds" },
                    publishAt = FirstPublished.AddDays(i),
                });
            }

            await Author.CreateAsync(new { url = "https://example.com/heron/draft", title = "Heron draft", status = "draft", tags = new[] { "Birds" } });
            await Author.CreateAsync(new { url = "https://example.com/egret", title = "Egret", tags = new[] { "Birds" }, publishAt = FirstPublished });
        }
    }
}
