using Feeds.Server.Publishing;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>A publish re-renders exactly the feeds it appears in, as the service reports each regeneration run.</summary>
public sealed class RegenerationScopeTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private readonly FeedsServer _server = new(settings: new Dictionary<string, string?>
    {
        [$"Logging:LogLevel:{typeof(FeedPublisher).FullName}"] = "Debug",
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_publish_re_renders_the_firehose_its_tags_and_the_combinations_in_use_it_belongs_to_and_nothing_else()
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        for (var i = 0; i < 120; i++)
        {
            await author.PublishAsync($"Background {i}", $"t{i % 40}", $"t{(i + 7) % 40}");
        }

        // Two combinations in use: one the new post belongs to, one it does not.
        await reader.WaitForTitleAsync("/tags/t1+t2.atom", "", Soon);
        await reader.WaitForTitleAsync("/tags/t3+t4.atom", "", Soon);
        await reader.WaitForTitleAsync("/everything.atom", "Background 119", Soon);
        var before = await WaitUntilQuietAsync();

        await author.PublishAsync("The one", "t1", "t2");
        await reader.WaitForTitleAsync("/tags/t1+t2.atom", "The one", Soon);
        await WaitUntilQuietAsync();

        Assert.Equal(["everything", "tag:t1", "tag:t1+t2", "tag:t2"], Regenerated().Skip(before).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_publish_re_renders_the_feed_of_the_site_it_links_to_once_that_feed_has_been_read()
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        await author.CreateAsync(new { url = "https://read.example/1", title = "First on read.example" });
        await author.CreateAsync(new { url = "https://unread.example/1", title = "First on unread.example" });
        await reader.WaitForTitleAsync("/site/read.example.atom", "First on read.example", Soon);
        var before = await WaitUntilQuietAsync();

        await author.CreateAsync(new { url = "https://read.example/2", title = "Second on read.example" });
        await author.CreateAsync(new { url = "https://unread.example/2", title = "Second on unread.example" });
        await reader.WaitForTitleAsync("/site/read.example.atom", "Second on read.example", Soon);
        await WaitUntilQuietAsync();

        Assert.Equal(["everything", "site:read.example"], Regenerated().Skip(before).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Every feed key regeneration runs reported rendering, in order.</summary>
    private List<string> Regenerated() =>
        [.. _server.Logs.Entries
            .Where(e => e.Category == typeof(FeedPublisher).FullName && e.Values.ContainsKey("Feeds"))
            .SelectMany(e => (IEnumerable<string>)e.Values["Feeds"]!)];

    /// <summary>
    /// Waits until nothing has been rendered for a second, longer than paced rendering ever rests between runs (half a
    /// second), so no run is still under way or about to start; returns the count so far.
    /// </summary>
    private async Task<int> WaitUntilQuietAsync()
    {
        var seen = -1;
        while (seen != Regenerated().Count)
        {
            seen = Regenerated().Count;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return seen;
    }
}
