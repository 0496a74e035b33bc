using Feeds.Server.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Sources;

public sealed class MemoryReclaimerTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    [Fact]
    public async Task Fetching_large_feeds_is_followed_within_seconds_by_one_collection_and_small_feeds_by_none()
    {
        var reclaimer = fixture.Server.Services.GetRequiredService<MemoryReclaimer>();
        fixture.Upstream.Feed("small", TestFeeds.Rss("small", "https://small.example/", TestFeeds.Recent("small", 2, fixture.Server.Now)));
        await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url("small") });
        await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);
        Assert.Equal(0, reclaimer.Runs);

        var description = new string('x', (int)MemoryReclaimer.LargeBody);
        fixture.Upstream.Feed("large", $"<rss version=\"2.0\"><channel><title>large</title><link>https://large.example/</link><description>{description}</description></channel></rss>", validators: false);
        var large = await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url("large") });
        await fixture.Author.RefreshAsync(large.Id());

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (reclaimer.Runs == 0 && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, reclaimer.Runs);
        // Not at once: the collection waits for the fetches around it to finish (the upper bound is the loop's deadline,
        // generous for a busy machine).
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(2), $"collected after {waited.Elapsed}");
    }
}
