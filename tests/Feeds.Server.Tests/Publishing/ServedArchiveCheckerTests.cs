using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Feeds.Tests;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// The independent checkers on what the service serves for a site with a non-ASCII tag, links to an internationalised
/// host, a tag whose posts all fall in one month and a firehose over several: every document valid, every URL a URI,
/// and the RFC 5005 archives a chain that holds every post. Posts are dated in 2024, months that are over on any day.
/// </summary>
public sealed class ServedArchiveCheckerTests(ServedArchiveCheckerTests.Site site) : IClassFixture<ServedArchiveCheckerTests.Site>
{
    private static readonly XNamespace History = "http://purl.org/syndication/history/1.0";

    [Theory]
    [InlineData("/everything.atom")]
    [InlineData("/tags/unicøde-cafe.atom")]
    [InlineData("/tags/solo.atom")]
    [InlineData("/tags/solo/archive/2024/03.atom")]
    [InlineData("/everything/archive/2024/01.atom")]
    [InlineData("/everything/archive/2024/04.atom")]
    [InlineData("/tags/unicøde-cafe/archive/2024/04.atom")]
    public async Task Served_atom_passes_the_rfc_4287_validator(string path)
    {
        var validator = ExternalTools.Require("validate-atom.sh", "jing", "xmllint", "xmlstarlet");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [site.Url(path)]);

        Assert.True(exitCode == 0, $"validate-atom.sh {path} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("/everything.json")]
    [InlineData("/tags/unicøde-cafe.json")]
    [InlineData("/tags/unicøde-cafe/archive/2024/04.json")]
    [InlineData("/tags/solo/archive/2024/03.json")]
    public async Task Served_json_feed_passes_the_json_feed_1_1_schema(string path)
    {
        var validator = ExternalTools.Require("validate-jsonfeed.sh", "node");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [site.Url(path)]);

        Assert.True(exitCode == 0, $"validate-jsonfeed.sh {path} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("/tags/unicøde-cafe.atom")]
    [InlineData("/tags/unicøde-cafe.rss")]
    [InlineData("/everything/archive/2024/04.rss")]
    public async Task Feedparser_and_the_node_parsers_read_the_ids_and_punycode_links(string path)
    {
        var feedparser = ExternalTools.Require("parse-feedparser.py", "python3");
        var node = ExternalTools.Require("parse-node.mjs", "node");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(feedparser, ["--full", site.Url(path)]);
        var (nodeExitCode, nodeStdout, nodeStderr) = await ExternalTools.RunAsync(node, [site.Url(path)]);

        Assert.True(exitCode == 0, $"parse-feedparser.py {path} exited {exitCode}:\n{stdout}\n{stderr}");
        Assert.True(nodeExitCode == 0, $"parse-node.mjs {path} exited {nodeExitCode}:\n{nodeStdout}\n{nodeStderr}");
        var entry = JsonDocument.Parse(stdout).RootElement.GetProperty("entries").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString()!.EndsWith(site.IdnPostEntryIdSuffix, StringComparison.Ordinal));
        Assert.Contains(entry.GetProperty("links").EnumerateArray(), l => l.GetProperty("href").GetString() == Site.IdnLinkAsUri);
        Assert.Contains("<a href=\"" + Site.IdnLinkAsUri + "\">", entry.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("//例え", stdout + nodeStdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_ascii_tag_feed_id_is_percent_encoded_and_an_ascii_one_keeps_its_form()
    {
        var unicode = await site.Reader.GetAtomAsync("/tags/unicøde-cafe.atom");
        var solo = await site.Reader.GetAtomAsync("/tags/solo.atom");

        Assert.EndsWith(":feed:tag:unic%C3%B8de-cafe", (string)unicode.Root!.Element(FeedClient.Atom + "id")!, StringComparison.Ordinal);
        Assert.EndsWith(":feed:tag:solo", (string)solo.Root!.Element(FeedClient.Atom + "id")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/everything", 3)]
    [InlineData("/tags/solo", 1)]
    [InlineData("/tags/unicøde-cafe", 2)]
    public async Task The_archive_chain_from_the_subscription_document_holds_every_post_once(string feed, int months)
    {
        var subscription = await site.Reader.GetAtomAsync(feed + ".atom");
        Assert.Null(subscription.Root!.Element(History + "archive"));
        var seen = new List<string>(subscription.EntryIds());
        var archives = new List<string>();
        string? newer = null;
        for (var url = subscription.Link("prev-archive"); url is not null;)
        {
            var archive = await site.Reader.GetAtomAsync(url);
            Assert.NotNull(archive.Root!.Element(History + "archive"));
            Assert.Equal(site.Url(feed + ".atom"), archive.Link("current"));
            Assert.Equal(url, archive.Link("self"));
            Assert.Equal(newer, archive.Link("next-archive"));
            seen.AddRange(archive.EntryIds());
            archives.Add(url);
            newer = url;
            url = archive.Link("prev-archive");
        }

        Assert.Equal(months, archives.Count);
        var expected = await site.EntryIdSuffixesAsync(feed == "/everything" ? null : feed["/tags/".Length..]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Distinct().Select(id => id[id.IndexOf(":post:", StringComparison.Ordinal)..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_month_under_way_is_no_archive_until_it_is_over()
    {
        using var server = new FeedsServer(clock: new FakeTimeProvider(new DateTimeOffset(2025, 3, 31, 23, 59, 0, TimeSpan.Zero)));
        var reader = server.CreateClient();
        await server.CreateAuthorizedClient().CreateAsync(new { url = "https://example.com/fresh", title = "Fresh", tags = new[] { "fresh" }, publishAt = new DateTimeOffset(2025, 3, 2, 8, 0, 0, TimeSpan.Zero) });
        await reader.WaitForTitleAsync("/tags/fresh.atom", "Fresh", TimeSpan.FromSeconds(10));

        Assert.Null((await reader.GetAtomAsync("/tags/fresh.atom")).Link("prev-archive"));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/tags/fresh/archive/2025/03.atom")).StatusCode);
    }

    [Fact]
    public async Task A_month_without_posts_of_the_feed_has_no_archive()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await site.Reader.GetAsync("/tags/solo/archive/2024/04.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.Reader.GetAsync("/everything/archive/2024/02.atom")).StatusCode);
    }

    /// <summary>
    /// Posts in January, March and April 2024: "solo" only in March, "Unicøde Café" in March and April with a link to an
    /// internationalised host, the firehose in all three. Four entries per document, so the firehose also pages.
    /// </summary>
    public sealed class Site : ServerFixture
    {
        public const string IdnLink = "https://例え.テスト/パス?q=ø";
        public const string IdnLinkAsUri = "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9?q=%C3%B8";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "4" };

        public HttpClient Reader { get; private set; } = null!;

        /// <summary>The end of the entry id of the post linking <see cref="IdnLink"/>: ":post:" and its id.</summary>
        public string IdnPostEntryIdSuffix { get; private set; } = "";

        public string Url(string path) => new Uri(Server.Address, path).AbsoluteUri;

        protected override async Task SeedAsync()
        {
            Reader = Server.CreateClient();
            var author = Server.CreateAuthorizedClient();
            var posts = new (int Month, int Day, string[] Tags, string Url)[]
            {
                (1, 10, ["python"], "https://example.com/jan"),
                (3, 2, ["solo"], "https://example.com/solo-1"),
                (3, 20, ["solo", "Unicøde Café"], "https://example.com/solo-2"),
                (3, 28, ["Unicøde Café"], "https://example.com/cafe-1"),
                (4, 3, ["Unicøde Café"], IdnLink),
                (4, 9, ["python"], "https://example.com/apr-1"),
                (4, 15, ["python"], "https://example.com/apr-2"),
            };
            foreach (var (month, day, tags, url) in posts)
            {
                var created = await author.CreateAsync(new
                {
                    url,
                    title = $"Post of {month}/{day}",
                    commentary = "Read it.",
                    tags,
                    via = url == IdnLink ? new { url = "https://bücher.example/über", title = "Bücher" } : null,
                    publishAt = new DateTimeOffset(2024, month, day, 8, 0, 0, TimeSpan.Zero),
                });
                if (url == IdnLink)
                {
                    IdnPostEntryIdSuffix = ":post:" + created.GetProperty("id").GetString();
                }
            }

            await Reader.WaitForTitleAsync("/everything.atom", "Post of 4/15", TimeSpan.FromSeconds(10));
            await Reader.WaitForTitleAsync("/tags/unicøde-cafe.atom", "Post of 4/3", TimeSpan.FromSeconds(10));
        }

        /// <summary>":post:{id}" of every published post of <paramref name="tag"/> (all posts when null), as the API lists them.</summary>
        public async Task<List<string>> EntryIdSuffixesAsync(string? tag)
        {
            var page = await Reader.GetFromJsonAsync<JsonElement>("/api/posts?limit=100" + (tag is null ? "" : $"&tag={Uri.EscapeDataString(tag)}"));
            return [.. page.GetProperty("items").EnumerateArray().Select(p => ":post:" + p.GetProperty("id").GetString())];
        }
    }
}
