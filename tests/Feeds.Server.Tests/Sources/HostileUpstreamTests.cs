using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

/// <summary>Upstreams that attack the poller: each one costs only its own fetch, which fails with the reason recorded.</summary>
public sealed class HostileUpstreamTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private const string Start = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>";

    [Fact]
    public async Task A_huge_body_a_slow_drip_and_an_entity_bomb_each_fail_only_their_own_fetch()
    {
        var upstream = fixture.Upstream;
        var sources = new Dictionary<string, JsonElement>();
        foreach (var name in (string[])["healthy", "huge", "drip", "bomb"])
        {
            upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", TestFeeds.Recent(name, 2, fixture.Server.Now)));
            sources[name] = await fixture.Author.FollowAsync(new { url = upstream.Url(name), backfill = true, intervalMinutes = 1 });
        }

        upstream.Feed("healthy", TestFeeds.Rss("healthy", "https://healthy.example/", TestFeeds.Recent("healthy", 3, fixture.Server.Now)));
        upstream.Route("huge", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Start), context.RequestAborted);
            var padding = Encoding.UTF8.GetBytes("<!--" + new string('x', 64 * 1024 - 7) + "-->");
            for (var written = 0; written < 12 * 1024 * 1024; written += padding.Length)
            {
                await context.Response.Body.WriteAsync(padding, context.RequestAborted);
            }
        });
        upstream.Route("drip", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Start), context.RequestAborted);
            for (var i = 0; i < 300; i++)
            {
                await context.Response.Body.WriteAsync(" "u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
        });
        upstream.Feed("bomb", ParsingFixtures.Read("invalid/billion-laughs.xml"));

        var stopwatch = Stopwatch.StartNew();
        var round = await fixture.Server.Poller().PollDueAsync(fixture.Server.Now.AddDays(1), TestContext.Current.CancellationToken);
        stopwatch.Stop();

        Assert.Equal(4, round.Polled);
        Assert.Equal(3, round.Failed);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"the round took {stopwatch.Elapsed}");
        var healthy = await fixture.Author.SourceAsync(sources["healthy"].Id());
        Assert.Equal(0, healthy.Fetch().GetProperty("errorCount").GetInt32());
        Assert.Equal(3, (await fixture.Author.PostsOfAsync(healthy.Id())).Count);

        var huge = (await fixture.Author.SourceAsync(sources["huge"].Id())).Fetch();
        Assert.Equal(200, huge.GetProperty("lastStatus").GetInt32());
        Assert.Contains("longer than the limit", huge.GetProperty("lastError").GetString());
        var drip = (await fixture.Author.SourceAsync(sources["drip"].Id())).Fetch();
        Assert.Contains("did not arrive within 2 s", drip.GetProperty("lastError").GetString());
        var bomb = (await fixture.Author.SourceAsync(sources["bomb"].Id())).Fetch();
        Assert.Contains("DTD", bomb.GetProperty("lastError").GetString());
        foreach (var name in (string[])["huge", "drip", "bomb"])
        {
            var fetch = (await fixture.Author.SourceAsync(sources[name].Id())).Fetch();
            Assert.Equal(1, fetch.GetProperty("errorCount").GetInt32());
            Assert.False(fetch.GetProperty("stopped").GetBoolean());
            Assert.Equal(2, (await fixture.Author.PostsOfAsync(sources[name].Id())).Count);
        }
    }
}
