using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Cli.Tests;

/// <summary><c>feeds search QUERY</c>, and what <c>feeds post</c> says of a link posted before.</summary>
public sealed class SearchCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Cli _cli = new(fixture.Server);

    [Fact]
    public async Task Search_prints_a_table_of_matches_best_first()
    {
        await _cli.OkAsync("post", "https://sqlite.org/wal.html", "-t", "Write-ahead logging", "--tag", "SQLite", "-m", "Puffin databases.");
        await _cli.OkAsync("post", "https://example.com/puffin", "-t", "Puffin puffin", "--tag", "Birds");

        var result = await _cli.OkAsync("search", "puffin");

        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal(["ID", "STATUS", "DATE", "TITLE", "SITE", "TAGS"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, lines.Length);
        Assert.Contains("Puffin puffin", lines[1], StringComparison.Ordinal);
        Assert.Contains("example.com", lines[1], StringComparison.Ordinal);
        Assert.Contains("Write-ahead logging", lines[2], StringComparison.Ordinal);
        Assert.Contains("sqlite.org", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_reads_every_argument_as_one_query_and_prints_json()
    {
        var wanted = (await _cli.JsonAsync("post", "https://example.org/gannet", "-t", "Gannet dive", "--tag", "Seabirds")).GetProperty("id").GetString();
        await _cli.OkAsync("post", "https://example.com/gannet", "-t", "Gannet nest", "--tag", "Seabirds");

        var found = await _cli.JsonAsync("search", "gannet", "site:example.org", "tag:seabirds");

        Assert.Equal([wanted], found.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task With_a_token_search_finds_drafts_and_without_one_only_published_posts()
    {
        await _cli.OkAsync("post", "https://example.com/skua-draft", "-t", "Skua draft", "--draft");
        await _cli.OkAsync("post", "https://example.com/skua", "-t", "Skua");
        var anonymous = new Infrastructure.Cli(_cli.Server, token: null);

        var drafts = await _cli.JsonAsync("search", "skua is:draft");
        var everything = await _cli.JsonAsync("search", "skua");
        var readers = await anonymous.JsonAsync("search", "skua");
        var readersDrafts = await anonymous.JsonAsync("search", "skua is:draft");

        Assert.Equal(["Skua draft"], drafts.EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(2, everything.GetArrayLength());
        Assert.Equal(["Skua"], readers.EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(0, readersDrafts.GetArrayLength());
    }

    [Fact]
    public async Task Search_pages_with_limit_and_all()
    {
        for (var i = 0; i < 5; i++)
        {
            await _cli.OkAsync("post", $"https://example.com/tern/{i}", "-t", $"Tern {i}");
        }

        var limited = await _cli.RunAsync("search", "tern", "--limit", "2");
        var all = await _cli.JsonAsync("search", "tern", "--all");

        Assert.Equal(3, limited.Out.Trim().Split('\n').Length);
        Assert.Contains("more posts follow", limited.Error, StringComparison.Ordinal);
        Assert.Equal(5, all.GetArrayLength());
    }

    [Fact]
    public async Task A_search_that_finds_nothing_says_so_on_stderr()
    {
        var result = await _cli.OkAsync("search", "\"unpaired NEAR(");

        Assert.Equal("", result.Out);
        Assert.Contains("No post matches.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_a_link_posted_before_says_so_on_stderr_and_still_posts()
    {
        var earlier = await _cli.JsonAsync("post", "https://example.com/albatross", "-t", "Albatross", "--at", "2024-05-06T07:08:00Z");

        var again = await _cli.OkAsync("post", "https://EXAMPLE.com/albatross?utm_source=feed#top", "-t", "Albatross again");

        Assert.StartsWith("Published ", again.Out, StringComparison.Ordinal);
        Assert.Contains(
            $"Posted before: {earlier.GetProperty("permalink").GetString()} (published 2024-05-06 07:08 UTC, id {earlier.GetProperty("id").GetString()})",
            again.Error, StringComparison.Ordinal);
    }
}
