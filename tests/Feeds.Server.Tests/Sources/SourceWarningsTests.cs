using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

/// <summary>What the parser read past in a source's last document, shown on the source.</summary>
public sealed class SourceWarningsTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    [Fact]
    public async Task An_empty_rss_document_is_read_with_a_warning_the_source_shows_until_a_clean_read()
    {
        _upstream.Feed("empty", "<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>");

        var source = await _author.FollowAsync(new { url = _upstream.Url("empty") });
        var listed = JsonDocument.Parse(await _author.GetStringAsync("/api/sources")).RootElement
            .GetProperty("items").EnumerateArray().Single(s => s.Id() == source.Id());
        _upstream.Feed("empty", TestFeeds.Rss("empty", "https://empty.example/", []));
        var refreshed = (await _author.RefreshAsync(source.Id())).GetProperty("source");

        var warning = Assert.Single(source.Fetch().GetProperty("warnings").EnumerateArray());
        Assert.Contains("read as an empty feed", warning.GetString(), StringComparison.Ordinal);
        Assert.Single(listed.Fetch().GetProperty("warnings").EnumerateArray());
        Assert.Empty(refreshed.Fetch().GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_document_that_does_not_change_keeps_the_warnings_of_its_read()
    {
        _upstream.Feed("still-empty", "<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>");
        var source = await _author.FollowAsync(new { url = _upstream.Url("still-empty") });

        var refreshed = await _author.RefreshAsync(source.Id());

        Assert.Equal("not-modified", refreshed.GetProperty("status").GetString());
        Assert.Single(refreshed.GetProperty("source").Fetch().GetProperty("warnings").EnumerateArray());
    }
}
