using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Contracts.Text;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// The independent checkers read the feeds as subscribers do: over HTTP from the running service.
/// Each test skips, naming the tool, where that checker is not installed.
/// </summary>
public sealed class ServedFeedCheckerTests(ServedFeedCheckerTests.Site site) : IClassFixture<ServedFeedCheckerTests.Site>
{
    [Theory]
    [InlineData("firehose")]
    [InlineData("tag")]
    [InlineData("combination")]
    [InlineData("paged")]
    [InlineData("archive")]
    [InlineData("oldest archive")]
    [InlineData("site")]
    [InlineData("site paged")]
    [InlineData("site archive")]
    public async Task Served_atom_passes_the_rfc_4287_validator(string feed)
    {
        var validator = ExternalTools.Require("validate-atom.sh", "jing", "xmllint", "xmlstarlet");
        var url = await site.ResolveAsync(feed);

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [url]);

        Assert.True(exitCode == 0, $"validate-atom.sh {url} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("/everything.json")]
    [InlineData("/tags/python.json")]
    [InlineData("/tags/python+web.json")]
    [InlineData("/site/example.com.json")]
    public async Task Served_json_feed_passes_the_json_feed_1_1_schema(string path)
    {
        var validator = ExternalTools.Require("validate-jsonfeed.sh", "node");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [site.Url(path)]);

        Assert.True(exitCode == 0, $"validate-jsonfeed.sh {path} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("/everything.atom", null)]
    [InlineData("/tags/python.atom", "python")]
    [InlineData("/everything.rss", null)]
    [InlineData("/tags/python.rss", "python")]
    [InlineData("/site/example.com.atom", null)]
    [InlineData("/site/example.com.rss", null)]
    public async Task Feedparser_reads_the_ids_titles_links_tags_and_dates_the_api_reports(string path, string? tag)
    {
        var parser = ExternalTools.Require("parse-feedparser.py", "python3");
        var expected = await site.LatestPublishedAsync(tag);

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, ["--full", site.Url(path)]);

        Assert.True(exitCode == 0, $"parse-feedparser.py exited {exitCode}:\n{stdout}\n{stderr}");
        var parsed = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, parsed.GetProperty("bozo").GetInt32());
        Assert.Equal(200, parsed.GetProperty("status").GetInt32());
        var entries = parsed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(expected.Count, entries.Count);
        var atom = path.EndsWith(".atom", StringComparison.Ordinal);
        foreach (var (entry, post) in entries.Zip(expected))
        {
            var id = post.GetProperty("id").GetString()!;
            Assert.EndsWith($":post:{id}", entry.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal(post.GetProperty("title").GetString(), entry.GetProperty("title").GetString());
            Assert.Equal(post.GetProperty("permalink").GetString(), entry.GetProperty("link").GetString());
            Assert.Equal(
                post.GetProperty("tags").EnumerateArray().Select(t => Slugs.ForTag(t.GetString()!)),
                entry.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("term").GetString()));
            Assert.Equal(post.GetProperty("publishedAt").GetDateTimeOffset(), Parsed(entry, "published_parsed"));
            if (atom)
            {
                Assert.Equal(Truncated(post.GetProperty("updatedAt").GetDateTimeOffset()), Parsed(entry, "updated_parsed"));
                Assert.Contains(
                    entry.GetProperty("links").EnumerateArray(),
                    l => l.GetProperty("rel").GetString() == "related" && l.GetProperty("href").GetString() == post.GetProperty("url").GetString());
            }
        }
    }

    [Fact]
    public async Task A_second_fetch_with_the_etag_gets_304()
    {
        var parser = ExternalTools.Require("parse-feedparser.py", "python3");
        var etag = (await site.Reader.GetAsync("/tags/python.atom")).Headers.ETag!.Tag;

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, ["--etag", etag, site.Url("/tags/python.atom")]);

        Assert.True(exitCode == 0, $"parse-feedparser.py exited {exitCode}:\n{stdout}\n{stderr}");
        Assert.Equal(304, JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/everything.atom", null)]
    [InlineData("/tags/python.atom", "python")]
    [InlineData("/everything.rss", null)]
    public async Task Newsboat_stores_every_entry_and_refetches_with_its_etag_getting_304(string path, string? tag)
    {
        var newsboat = ExternalTools.Require("newsboat-fetch.sh", "newsboat", "sqlite3");
        var expected = await site.LatestPublishedAsync(tag);

        // newsboat keeps one item per guid across its feeds, so each feed gets a reader of its own;
        // it stores validators on its second fetch and sends them from the third.
        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(newsboat, ["-d", TempDirectory.Create(), "-n", "3", site.Url(path)]);

        Assert.True(exitCode == 0, $"newsboat-fetch.sh exited {exitCode}:\n{stdout}\n{stderr}");
        var stored = JsonDocument.Parse(stdout).RootElement;
        Assert.Empty(stored.GetProperty("errors").EnumerateArray());
        var guids = stored.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("guid").GetString()!).ToList();
        Assert.Equal(expected.Count, guids.Count);
        Assert.All(expected, post => Assert.Contains(guids, g => g.EndsWith($":post:{post.GetProperty("id").GetString()}", StringComparison.Ordinal)));
        Assert.False(string.IsNullOrEmpty(stored.GetProperty("feeds")[0].GetProperty("etag").GetString()));
        Assert.Contains(site.Server.Responses.Entries, r => r.Path == path && r.Status == 304);
    }

    private static DateTimeOffset Parsed(JsonElement entry, string name) =>
        DateTimeOffset.Parse(entry.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Feed dates carry whole seconds.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>
    /// A site with paging and history: 36 posts over four months (so three archive documents), ten entries per feed,
    /// tags spread so that a tag feed, a combination and the firehose each page; every post links to example.com, so
    /// that site's feed holds them all. The posts are dated in a fixed past,
    /// so the site is the same whenever the tests run.
    /// </summary>
    public sealed class Site : ServerFixture
    {
        private const int EntriesPerFeed = 10;

        private static readonly DateTimeOffset FirstPublished = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = $"{EntriesPerFeed}" };

        public HttpClient Reader { get; private set; } = null!;

        public string Url(string path) => new Uri(Server.Address, path).ToString();

        protected override async Task SeedAsync()
        {
            Reader = Server.CreateClient();
            var author = Server.CreateAuthorizedClient();
            for (var i = 0; i < 36; i++)
            {
                var tags = new List<string> { i % 2 == 0 ? "Python" : "Rust" };
                if (i % 3 == 0)
                {
                    tags.Add("Web");
                }

                await author.CreateAsync(new
                {
                    url = $"https://example.com/{i}?a=1&b=2",
                    title = $"Post {i}: <b>bold</b> & “quoted” ✓",
                    commentary = $"Commentary {i} with **Markdown**, a [link](https://example.org/{i}) and <script>alert(1)</script>.",
                    tags,
                    via = i % 4 == 0 ? new { url = "https://via.example/", title = "Via & co" } : null,
                    publishAt = FirstPublished.AddMonths(i / 9).AddDays(i % 9).AddMinutes(i),
                });
            }

            foreach (var (path, newest) in new[] { ("/everything.atom", 35), ("/everything.rss", 35), ("/everything.json", 35), ("/tags/python.atom", 34), ("/tags/python+web.atom", 30) })
            {
                await Reader.WaitForTitleAsync(path, $"Post {newest}:", TimeSpan.FromSeconds(10));
            }
        }

        /// <summary>A feed by the name the tests use, following the documents' own links for pages and archives.</summary>
        public async Task<string> ResolveAsync(string feed)
        {
            switch (feed)
            {
                case "firehose": return Url("/everything.atom");
                case "tag": return Url("/tags/python.atom");
                case "combination": return Url("/tags/python+web.atom");
                case "paged": return (await Reader.GetAtomAsync("/everything.atom")).Link("next") ?? throw new InvalidOperationException("no next link");
                case "archive": return (await Reader.GetAtomAsync("/everything.atom")).Link("prev-archive") ?? throw new InvalidOperationException("no archive");
                case "site": return Url("/site/example.com.atom");
                case "site paged": return (await Reader.GetAtomAsync("/site/example.com.atom")).Link("next") ?? throw new InvalidOperationException("no next link");
                case "site archive": return (await Reader.GetAtomAsync("/site/example.com.atom")).Link("prev-archive") ?? throw new InvalidOperationException("no archive");
                default:
                    var archive = (await Reader.GetAtomAsync("/everything.atom")).Link("prev-archive");
                    string? older;
                    while ((older = (await Reader.GetAtomAsync(archive!)).Link("prev-archive")) is not null)
                    {
                        archive = older;
                    }

                    return archive!;
            }
        }

        /// <summary>What the API says the first page of a feed holds: the newest published posts.</summary>
        public async Task<List<JsonElement>> LatestPublishedAsync(string? tag)
        {
            var page = await Reader.GetFromJsonAsync<JsonElement>($"/api/posts?limit={EntriesPerFeed}" + (tag is null ? "" : $"&tag={tag}"));
            return [.. page.GetProperty("items").EnumerateArray()];
        }
    }
}
