using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Core.Parsing;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

public sealed class OpmlTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    [Fact]
    public async Task Import_follows_new_feeds_skips_known_ones_reports_refused_ones_and_polls_them_soon()
    {
        foreach (var name in (string[])["opml-a", "opml-b", "opml-known"])
        {
            _upstream.Feed(name, TestFeeds.Rss($"{name} feed", $"https://{name}.example/", TestFeeds.Recent(name, 2, fixture.Server.Now)));
        }

        await _author.FollowAsync(new { url = _upstream.Url("opml-known") });
        var metadata = "http://169.254.169.254/latest/feed.xml";
        var opml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head><title>Mine</title></head>
              <body>
                <outline text="Tech">
                  <outline type="rss" text="A" title="Feed A" xmlUrl="{_upstream.Url("opml-a")}" htmlUrl="https://opml-a.example/" category="/Programming/Python"/>
                  <outline type="rss" text="A again" xmlUrl="{_upstream.Url("opml-a")}"/>
                </outline>
                <outline type="rss" text="B" xmlUrl="{_upstream.Url("opml-b")}"/>
                <outline type="rss" text="Known" xmlUrl="{_upstream.Url("opml-known")}"/>
                <outline type="rss" text="Metadata" xmlUrl="{metadata}"/>
              </body>
            </opml>
            """;

        var response = await _author.PostAsync("/api/sources/import", new StringContent(opml, Encoding.UTF8, "text/x-opml"));
        var summary = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, summary.GetProperty("outlines").GetInt32());
        Assert.Equal(2, summary.GetProperty("created").GetInt32());
        Assert.Equal(3, summary.GetProperty("skipped").GetInt32());
        Assert.Equal([metadata], summary.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("metadata", summary.GetProperty("errors").GetProperty(metadata).GetString());

        var a = await SourceAtAsync(_upstream.Url("opml-a"));
        Assert.Equal("Feed A", a.GetProperty("title").GetString());
        Assert.Equal("https://opml-a.example/", a.GetProperty("siteUrl").GetString());
        Assert.Equal(["tech", "programming", "python"], a.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("draft", a.GetProperty("mode").GetString());

        // The import asks the polling job to run, so the new sources are read without waiting for the sweep.
        var polled = await Webhooks.Webhooks.EventuallyAsync(
            () => SourceAtAsync(_upstream.Url("opml-b")), s => s.Fetch().GetProperty("lastStatus").ValueKind == JsonValueKind.Number);
        Assert.Equal(200, polled.Fetch().GetProperty("lastStatus").GetInt32());
        Assert.Equal("B", polled.GetProperty("title").GetString());
        Assert.Empty(await _author.PostsOfAsync(polled.Id()));
    }

    [Fact]
    public async Task Every_feed_outline_not_imported_is_counted_and_explained()
    {
        _upstream.Feed("opml-mixed", TestFeeds.Rss("mixed", "https://opml-mixed.example/", TestFeeds.Recent("mixed", 1, fixture.Server.Now)));
        _upstream.Feed("opml-followed", TestFeeds.Rss("followed", "https://opml-followed.example/", TestFeeds.Recent("followed", 1, fixture.Server.Now)));
        var followed = await _author.FollowAsync(new { url = _upstream.Url("opml-followed") });
        var opml = $"""
            <opml version="2.0"><body>
              <outline text="Mixed" xmlUrl="{_upstream.Url("opml-mixed")}"/>
              <outline text="Files" xmlUrl="ftp://files.example/feed.xml"/>
              <outline text="No URL" xmlUrl=""/>
              <outline text="Relative" xmlUrl="feed.xml"/>
              <outline text="Mixed again" xmlUrl="{_upstream.Url("opml-mixed")}"/>
              <outline text="Followed" xmlUrl="{_upstream.Url("opml-followed")}"/>
              <outline text="A folder, not a feed"/>
            </body></opml>
            """;

        var summary = await (await _author.PostAsync("/api/sources/import", new StringContent(opml, Encoding.UTF8, "text/x-opml"))).ReadJsonAsync();

        Assert.Equal(6, summary.GetProperty("outlines").GetInt32());
        Assert.Equal(1, summary.GetProperty("created").GetInt32());
        Assert.Equal(5, summary.GetProperty("skipped").GetInt32());
        Assert.Equal(
            [
                "2 ftp://files.example/feed.xml: The URL must start with http:// or https://, not ftp:.",
                "3 : A URL is required.",
                "4 feed.xml: This is not a valid absolute URL; it should look like https://example.com/path.",
                $"5 {_upstream.Url("opml-mixed")}: Listed already, as outline 1.",
                $"6 {_upstream.Url("opml-followed")}: Already followed by source {followed.Id()}.",
            ],
            summary.GetProperty("notImported").EnumerateArray().Select(n =>
                $"{n.GetProperty("outline").GetInt32()} {n.GetProperty("url").GetString()}: {n.GetProperty("reason").GetString()}"));
        Assert.Equal(["", "feed.xml", "ftp://files.example/feed.xml"], summary.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_then_import_into_another_server_follows_the_same_feeds()
    {
        foreach (var name in (string[])["trip-1", "trip-2"])
        {
            _upstream.Feed(name, TestFeeds.Rss($"{name} feed", $"https://{name}.example/", TestFeeds.Recent(name, 1, fixture.Server.Now)));
            await _author.FollowAsync(new { url = _upstream.Url(name), title = $"{name}, renamed", tags = new[] { "Round Trip", name } });
        }

        // A source's first poll (this class's other tests follow feeds too) fills in its site's address: exported again
        // until no poll landed between the export and the list it is compared with.
        List<string> expected;
        byte[] document;
        for (var attempts = 1; ; attempts++)
        {
            var before = await DescribeSourcesAsync(_author);
            using var export = await _author.GetAsync("/api/sources.opml");
            Assert.Equal("text/x-opml", export.Content.Headers.ContentType?.MediaType);
            document = await export.Content.ReadAsByteArrayAsync();
            expected = await DescribeSourcesAsync(_author);
            if (before.SequenceEqual(expected, StringComparer.Ordinal))
            {
                break;
            }

            Assert.True(attempts < 5, "the sources changed around every export of five");
        }

        Assert.Equal(expected.Count, Opml.Parse(document).Count);

        using var other = new FeedsServer(settings: SourceTesting.Settings());
        var otherAuthor = other.CreateAuthorizedClient();
        var import = await (await otherAuthor.PostAsync("/api/sources/import", new ByteArrayContent(document)
        {
            Headers = { ContentType = new("application/xml") },
        })).ReadJsonAsync();

        Assert.Equal(expected.Count, import.GetProperty("created").GetInt32());
        var imported = await DescribeSourcesAsync(otherAuthor);
        Assert.Equal(expected, imported);
        Assert.Contains(imported, s => s.Contains("trip-1, renamed", StringComparison.Ordinal) && s.Contains("round-trip,trip-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_refuses_other_media_types_and_broken_documents()
    {
        await (await _author.PostAsync("/api/sources/import", new StringContent("{}", Encoding.UTF8, "application/json"))).AssertProblemAsync(415);

        var broken = await (await _author.PostAsync("/api/sources/import", new StringContent("<opml><body>", Encoding.UTF8, "text/x-opml"))).AssertProblemAsync(400);
        Assert.Equal(["body"], broken.ErrorFields());

        var notOpml = await (await _author.PostAsync("/api/sources/import", new StringContent("<rss/>", Encoding.UTF8, "application/xml"))).AssertProblemAsync(400);
        Assert.Equal(["body"], notOpml.ErrorFields());

        var badMode = await (await _author.PostAsync("/api/sources/import?mode=sometimes", new StringContent("<opml/>", Encoding.UTF8, "text/x-opml"))).AssertProblemAsync(400);
        Assert.Equal(["mode"], badMode.ErrorFields());
    }

    private async Task<JsonElement> SourceAtAsync(string url) =>
        (await _author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("url").GetString() == url).Clone();

    private static async Task<List<string>> DescribeSourcesAsync(HttpClient author) =>
        (await author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").EnumerateArray()
            .Select(Describe).Order(StringComparer.Ordinal).ToList();

    private static string Describe(JsonElement source) =>
        $"{source.GetProperty("url").GetString()} | {source.GetProperty("title").GetString()} | {source.GetProperty("siteUrl").GetString()} | "
        + string.Join(',', source.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
}
