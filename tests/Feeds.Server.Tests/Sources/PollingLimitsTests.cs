using System.Diagnostics;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

/// <summary>Two polls at a time per host, twenty started per second.</summary>
public sealed class LimitsFixture : SourcesFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Feeds:Sources:MaxPerHost"] = "2";
        settings["Feeds:Sources:MaxPollsPerSecond"] = "20";
    }
}

public sealed class PollingLimitsTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    [Fact]
    public async Task A_round_opens_no_more_requests_to_one_host_than_the_limit_and_starts_polls_at_the_paced_rate()
    {
        var names = Enumerable.Range(0, 12).Select(n => $"limited-{n}").ToList();
        foreach (var name in names)
        {
            fixture.Upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", TestFeeds.Recent(name, 1, fixture.Server.Now)));
            await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url(name) });
            fixture.Upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", TestFeeds.Recent(name, 2, fixture.Server.Now)), delay: TimeSpan.FromMilliseconds(300));
        }

        fixture.Upstream.ResetInFlight();
        var stopwatch = Stopwatch.StartNew();
        var round = await fixture.Server.Poller().PollDueAsync(fixture.Server.Now.AddDays(1), TestContext.Current.CancellationToken);
        stopwatch.Stop();

        Assert.True(round.Polled >= names.Count);
        Assert.Equal(2, fixture.Upstream.MaxInFlight);
        // Twelve polls of 300 ms, two at a time, take at least 1.8 s; paced at 20 a second they start over at least 0.5 s.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.8), $"the round took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_round_is_paced_while_a_refresh_by_hand_is_not()
    {
        var names = Enumerable.Range(0, 30).Select(n => $"paced-{n}").ToList();
        var ids = new List<long>();
        foreach (var name in names)
        {
            fixture.Upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", TestFeeds.Recent(name, 1, fixture.Server.Now)));
            ids.Add((await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url(name) })).Id());
        }

        var stopwatch = Stopwatch.StartNew();
        var rounds = fixture.Server.Poller().PollDueAsync(fixture.Server.Now.AddDays(3), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var refresh = await fixture.Author.RefreshAsync(ids[^1]);
        var roundRunningAfterRefresh = !rounds.IsCompleted;
        var round = await rounds;
        stopwatch.Stop();

        Assert.Equal("not-modified", refresh.GetProperty("status").GetString());
        Assert.True(roundRunningAfterRefresh, "the refresh waited for the paced round");
        Assert.True(round.Polled >= names.Count);
        // Thirty polls at twenty a second, in tenths: at least 1.4 s.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.3), $"the round took {stopwatch.Elapsed}");
    }
}
