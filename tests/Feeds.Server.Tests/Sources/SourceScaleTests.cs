using System.Diagnostics;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

public sealed class SourceScaleTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private const int SourceCount = 100;
    private const int ItemsPerSource = 10;

    [Fact]
    public async Task A_thousand_items_over_a_hundred_sources_make_exactly_a_thousand_posts_over_three_rounds()
    {
        var upstream = fixture.Upstream;
        var names = Enumerable.Range(0, SourceCount).Select(n => $"scale-{n}").ToList();
        var now = fixture.Server.Now;
        var items = names.ToDictionary(n => n, n => TestFeeds.Recent(n, ItemsPerSource, now));
        foreach (var name in names)
        {
            upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", []));
        }

        var ids = new long[SourceCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, SourceCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            ids[n] = (await fixture.Author.FollowAsync(new { url = upstream.Url(names[n]), backfill = true })).Id());
        var stopwatch = Stopwatch.StartNew();

        // Round 1: six items each, without validators. Round 2: all ten, reordered, with the first six edited.
        // Round 3: the same document again, which is answered 304.
        foreach (var name in names)
        {
            upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", items[name].Take(6)), validators: false);
        }

        var first = await RoundAsync();
        foreach (var name in names)
        {
            var edited = items[name].Select((item, i) => i < 6 ? item with { Description = "edited" } : item).Reverse();
            upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", edited));
        }

        var second = await RoundAsync();
        var third = await RoundAsync();
        stopwatch.Stop();

        Assert.Equal((SourceCount, 6 * SourceCount, 0), (first.Polled, first.NewPosts, first.Failed));
        Assert.Equal((SourceCount, 4 * SourceCount, 0), (second.Polled, second.NewPosts, second.Failed));
        Assert.Equal((SourceCount, 0, 0), (third.Polled, third.NewPosts, third.Failed));
        Assert.Equal(SourceCount * ItemsPerSource, await fixture.Author.CountAsync());
        foreach (var id in ids.Take(5))
        {
            Assert.Equal(ItemsPerSource, (await fixture.Author.PostsOfAsync(id)).Count);
        }

        Assert.All(names, name => Assert.Equal(304, upstream.RequestsTo(name)[^1].AnsweredWith));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"three rounds took {stopwatch.Elapsed}");
    }

    private Task<Server.Sources.PollRound> RoundAsync() =>
        fixture.Server.Poller().PollDueAsync(fixture.Server.Now.AddDays(2), TestContext.Current.CancellationToken);
}
