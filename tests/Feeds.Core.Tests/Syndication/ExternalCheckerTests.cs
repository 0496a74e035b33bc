using System.Text.Json;
using Feeds.Core.Syndication;
using Feeds.Tests;

namespace Feeds.Core.Tests.Syndication;

/// <summary>Independent third-party checkers judge the output; each test skips, naming the tool, where it is missing.</summary>
public sealed class ExternalCheckerTests
{
    [Theory]
    [InlineData("everything")]
    [InlineData("tag-python")]
    [InlineData("paged")]
    [InlineData("archive")]
    [InlineData("empty")]
    [InlineData("international")]
    public async Task Atom_document_passes_the_rfc_4287_validator(string scenario)
    {
        var validator = ExternalTools.Require("validate-atom.sh", "jing", "xmllint", "xmlstarlet");
        using var file = TempFeed.Write(FeedWriters.Atom, Document(scenario, FeedWriters.Atom));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [file.Path]);

        Assert.True(exitCode == 0, $"validate-atom.sh exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_reads_an_international_site_without_complaint(string format)
    {
        var parser = ExternalTools.Require("parse-feedparser.py", "python3");
        var writer = FeedWriters.ForExtension(format)!;
        using var file = TempFeed.Write(writer, SampleFeeds.InternationalArchive(writer));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, ["--full", file.Path]);

        Assert.True(exitCode == 0, $"parse-feedparser.py exited {exitCode}:\n{stdout}\n{stderr}");
        var entry = JsonDocument.Parse(stdout).RootElement.GetProperty("entries")[0];
        Assert.Equal("tag:xn--r8jz45g.xn--zckzah,2025-10-02:post:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", entry.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Node_parsers_read_an_international_site()
    {
        var parser = ExternalTools.Require("parse-node.mjs", "node");
        using var file = TempFeed.Write(FeedWriters.Atom, SampleFeeds.InternationalArchive(FeedWriters.Atom));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, [file.Path]);

        Assert.True(exitCode == 0, $"parse-node.mjs exited {exitCode}:\n{stdout}\n{stderr}");
        Assert.Contains("https://xn--r8jz45g.xn--zckzah/", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("//例え", stdout, StringComparison.Ordinal);
    }

    /// <summary>A sample scenario, or <c>international</c>: an archive of a non-ASCII tag on an internationalised domain.</summary>
    private static FeedDocument Document(string scenario, IFeedWriter writer) =>
        scenario == "international" ? SampleFeeds.InternationalArchive(writer) : SampleFeeds.Scenario(scenario, writer);

    [Theory]
    [InlineData("everything")]
    [InlineData("paged")]
    [InlineData("empty")]
    [InlineData("international")]
    public async Task Json_feed_passes_the_json_feed_1_1_schema(string scenario)
    {
        var validator = ExternalTools.Require("validate-jsonfeed.sh", "node");
        using var file = TempFeed.Write(FeedWriters.Json, Document(scenario, FeedWriters.Json));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [file.Path]);

        Assert.True(exitCode == 0, $"validate-jsonfeed.sh exited {exitCode}:\n{stdout}\n{stderr}");
    }

    [Theory]
    [InlineData("atom", "atom10")]
    [InlineData("rss", "rss20")]
    public async Task Feedparser_reads_the_feed_without_complaint(string format, string version)
    {
        using var parsed = await ParseWithFeedparser(format);
        var root = parsed.RootElement;
        Assert.Equal(0, root.GetProperty("bozo").GetInt32());
        Assert.Equal(version, root.GetProperty("version").GetString());
        Assert.Equal(SampleFeeds.Posts.Count, root.GetProperty("entry_count").GetInt32());
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_sees_the_permanent_entry_ids_and_titles(string format)
    {
        using var parsed = await ParseWithFeedparser(format);
        var entries = parsed.RootElement.GetProperty("entries").EnumerateArray().ToList();
        var expected = SampleFeeds.Posts.Select(SampleFeeds.Composer.ComposeEntry).ToList();

        Assert.Equal(expected.Select(e => e.Id), entries.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(expected.Select(e => e.Title), entries.Select(e => e.GetProperty("title").GetString()));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_sees_the_permalink_and_the_related_target(string format)
    {
        using var parsed = await ParseWithFeedparser(format);
        var entry = parsed.RootElement.GetProperty("entries")[0];
        var links = entry.GetProperty("links").EnumerateArray()
            .Select(l => (Rel: l.GetProperty("rel").GetString(), Href: l.GetProperty("href").GetString()))
            .ToList();

        Assert.Equal("https://links.example.org/2025/11/20/attention-is-all-you-need-again", entry.GetProperty("link").GetString());
        Assert.Contains(("related", "https://arxiv.example.org/abs/1706.03762?v=7&format=html"), links);
    }

    [Fact]
    public async Task Feedparser_sees_each_tag_with_term_label_and_scheme()
    {
        using var parsed = await ParseWithFeedparser("atom");
        var tags = parsed.RootElement.GetProperty("entries")[0].GetProperty("tags").EnumerateArray()
            .Select(t => (t.GetProperty("term").GetString(), t.GetProperty("label").GetString(), t.GetProperty("scheme").GetString()))
            .ToList();

        Assert.Equal(
            [
                ("python", "Python", "https://links.example.org/tags/python"),
                ("ai", "AI", "https://links.example.org/tags/ai"),
                ("llms", "LLMs", "https://links.example.org/tags/llms"),
            ],
            tags);
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_reads_published_and_updated_dates_in_utc(string format)
    {
        using var parsed = await ParseWithFeedparser(format);
        var entry = parsed.RootElement.GetProperty("entries")[0];

        Assert.Equal("2025-11-20T09:30:00Z", entry.GetProperty("published_parsed").GetString());
        Assert.Equal("2025-11-22T18:45:10Z", entry.GetProperty("updated_parsed").GetString());
        Assert.Equal("2025-11-22T18:45:10Z", parsed.RootElement.GetProperty("feed").GetProperty("updated_parsed").GetString());
    }

    private static async Task<JsonDocument> ParseWithFeedparser(string format)
    {
        var parser = ExternalTools.Require("parse-feedparser.py", "python3");
        var writer = FeedWriters.ForExtension(format)!;
        using var file = TempFeed.Write(writer, SampleFeeds.Scenario("everything", writer));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(parser, [file.Path]);

        Assert.True(exitCode == 0, $"parse-feedparser.py exited {exitCode}:\n{stdout}\n{stderr}");
        return JsonDocument.Parse(stdout);
    }
}

/// <summary>A rendered feed in a temporary file named with its format's extension, deleted on dispose.</summary>
internal sealed class TempFeed : IDisposable
{
    private TempFeed(string path) => Path = path;

    public string Path { get; }

    public static TempFeed Write(IFeedWriter writer, FeedDocument feed)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"feeds-{Guid.NewGuid():N}.{writer.FileExtension}");
        using (var stream = File.Create(path))
        {
            writer.Write(feed, stream);
        }

        return new TempFeed(path);
    }

    public void Dispose() => File.Delete(Path);
}
