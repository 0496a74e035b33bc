using System.Net;
using System.Text;
using System.Text.Json;
using Feeds.Server.Sources.Push;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Sources;

/// <summary>A Feeds server whose sources may subscribe to hubs on loopback (its own BaseUrl is loopback too).</summary>
public sealed class PushFixture : SourcesFixture
{
    public const int SafetyPollMinutes = 720;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Feeds:WebSub:AllowPrivateNetworks"] = "true";
        settings["Feeds:WebSub:PushedSourcePollMinutes"] = SafetyPollMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Feeds:WebSub:SourceLeaseSeconds"] = "86400";
        settings["Feeds:WebSub:Timeout"] = "00:00:03";
        settings["Feeds:WebSub:ConnectTimeout"] = "00:00:01";
    }
}

/// <summary>
/// Sources pushed by the WebSub hubs their feeds advertise, with an upstream hub played by the test: subscription,
/// intent verification, signed pushes, lease renewal, and polling again when the hub goes.
/// </summary>
public sealed class SourcePushTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private static readonly DateTimeOffset Published = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    /// <summary>An RSS document advertising <paramref name="hub"/> and itself as the topic, with items <c>{path}-1</c> … <c>{path}-{count}</c>.</summary>
    private string Feed(string path, string hub, int count) =>
        TestFeeds.Rss(path, $"https://{path}.example/",
            Enumerable.Range(1, count).Select(n => new TestItem($"{path}-{n}", $"{path} item {n}", $"https://example.com/{path}/{n}", Published.AddMinutes(n))),
            extra: $"""<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="{hub}"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="{_upstream.Url(path)}"/>""");

    /// <summary>Follows a feed advertising <paramref name="hub"/> and returns the source with the hub's subscription request.</summary>
    private async Task<(long Id, HubRequest Request)> FollowAsync(string path, UpstreamHub hub)
    {
        _upstream.Feed(path, Feed(path, hub.HubUrl, 1));
        var source = await _author.FollowAsync(new { url = _upstream.Url(path), backfill = true });
        return (source.Id(), await hub.RequestAsync(_upstream.Url(path)));
    }

    /// <summary>Follows, and verifies as the hub with a lease of <paramref name="leaseSeconds"/>.</summary>
    private async Task<(long Id, HubRequest Request)> SubscribeAsync(string path, UpstreamHub hub, int leaseSeconds = 3600)
    {
        var (id, request) = await FollowAsync(path, hub);
        var (status, body) = await UpstreamHub.VerifyAsync(request.Callback, request.Topic, "challenge-" + path, leaseSeconds);
        Assert.Equal(200, status);
        Assert.Equal("challenge-" + path, body);
        return (id, request);
    }

    private async Task<JsonElement> PushOf(long id) => (await _author.SourceAsync(id)).GetProperty("push");

    [Fact]
    public async Task A_feed_that_advertises_a_hub_is_subscribed_with_a_callback_under_BaseUrl_and_a_secret()
    {
        await using var hub = await UpstreamHub.StartAsync();

        var (id, request) = await FollowAsync("advertises", hub);

        Assert.Equal("subscribe", request.Mode);
        Assert.Equal(_upstream.Url("advertises"), request.Topic);
        Assert.StartsWith($"{fixture.Server.Address}websub/sources/", request.Callback, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(request.Secret));
        Assert.Equal("86400", request.LeaseSeconds);
        var push = await PushOf(id);
        Assert.Equal("polled", push.GetProperty("updates").GetString());
        Assert.Contains("verify", push.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(hub.HubUrl, push.GetProperty("hub").GetString());
    }

    [Fact]
    public async Task A_hub_advertised_in_the_Link_header_is_found_too()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var body = Encoding.UTF8.GetBytes(TestFeeds.Rss("linked", "https://linked.example/", []));
        _upstream.Route("linked", async context =>
        {
            context.Response.Headers.Link = $"<{hub.HubUrl}>; rel=\"hub\", <{_upstream.Url("linked")}>; rel=\"self\"";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(body);
        });

        await _author.FollowAsync(new { url = _upstream.Url("linked") });

        Assert.Equal("subscribe", (await hub.RequestAsync(_upstream.Url("linked"))).Mode);
    }

    [Fact]
    public async Task A_verified_subscription_makes_the_source_pushed_and_slows_polling_to_the_safety_interval()
    {
        await using var hub = await UpstreamHub.StartAsync();

        var (id, _) = await SubscribeAsync("verified", hub, leaseSeconds: 7200);

        var source = await _author.SourceAsync(id);
        var push = source.GetProperty("push");
        Assert.Equal("pushed", push.GetProperty("updates").GetString());
        Assert.Equal(JsonValueKind.Null, push.GetProperty("reason").ValueKind);
        Assert.Equal(PushFixture.SafetyPollMinutes, source.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Contains("pushed", source.Fetch().GetProperty("intervalReason").GetString(), StringComparison.Ordinal);
        var leaseEnds = push.Time("leaseEndsAt");
        Assert.InRange(leaseEnds - source.Fetch().Time("nextCheckAt"), TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(PushFixture.SafetyPollMinutes) - TimeSpan.FromMinutes(1),
            TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(PushFixture.SafetyPollMinutes) + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Verifications_of_a_topic_never_asked_for_or_of_an_unknown_callback_or_to_unsubscribe_are_refused_with_404()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, request) = await FollowAsync("intent", hub);

        var wrongTopic = await UpstreamHub.VerifyAsync(request.Callback, _upstream.Url("someone-else"), "c1", 3600);
        var unknownCallback = await UpstreamHub.VerifyAsync($"{fixture.Server.Address}websub/sources/not-a-token", request.Topic, "c2", 3600);
        var unsubscribe = await UpstreamHub.VerifyAsync(request.Callback, request.Topic, "c3", 3600, mode: "unsubscribe");

        Assert.Equal(404, wrongTopic.Status);
        Assert.Equal(404, unknownCallback.Status);
        Assert.Equal(404, unsubscribe.Status);
        Assert.DoesNotContain("c1", wrongTopic.Body, StringComparison.Ordinal);
        Assert.Equal("polled", (await PushOf(id)).GetProperty("updates").GetString());
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public async Task A_correctly_signed_push_becomes_posts_exactly_as_a_poll_would(string method)
    {
        await using var hub = await UpstreamHub.StartAsync();
        var path = "signed-" + method;
        var (id, request) = await SubscribeAsync(path, hub);
        Assert.Single(await _author.PostsOfAsync(id));
        var body = Encoding.UTF8.GetBytes(Feed(path, hub.HubUrl, 3));

        var status = await UpstreamHub.PushAsync(request.Callback, body, UpstreamHub.Sign(method, request.Secret!, body));

        Assert.Equal(202, status);
        var posts = await _author.PostsOfAsync(id);
        Assert.Equal(3, posts.Count);
        Assert.Contains(posts, p => p.GetProperty("url").GetString() == $"https://example.com/{path}/3");
        var source = await _author.SourceAsync(id);
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("push").GetProperty("lastPushAt").ValueKind);
        Assert.Equal(PushFixture.SafetyPollMinutes, source.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
    }

    [Fact]
    public async Task Unsigned_or_wrongly_signed_pushes_are_acknowledged_and_ignored()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, request) = await SubscribeAsync("forged", hub);
        var body = Encoding.UTF8.GetBytes(Feed("forged", hub.HubUrl, 3));

        var unsigned = await UpstreamHub.PushAsync(request.Callback, body, signature: null);
        var wrongSecret = await UpstreamHub.PushAsync(request.Callback, body, UpstreamHub.Sign("sha256", "not-the-secret", body));
        var otherBody = await UpstreamHub.PushAsync(request.Callback, body, UpstreamHub.Sign("sha256", request.Secret!, Encoding.UTF8.GetBytes("something else")));
        var unknownMethod = await UpstreamHub.PushAsync(request.Callback, body, "md5=" + new string('0', 32));

        Assert.All((int[])[unsigned, wrongSecret, otherBody, unknownMethod], status => Assert.Equal(202, status));
        Assert.Single(await _author.PostsOfAsync(id));
        Assert.Equal(JsonValueKind.Null, (await PushOf(id)).GetProperty("lastPushAt").ValueKind);
    }

    [Fact]
    public async Task A_push_larger_than_the_upstream_feed_limit_is_refused_with_413()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, request) = await SubscribeAsync("giant", hub);
        var padding = new string(' ', Feeds.Core.Parsing.FeedLimits.MaxBodyBytes);
        var body = Encoding.UTF8.GetBytes(Feed("giant", hub.HubUrl, 3).Replace("</channel>", padding + "</channel>", StringComparison.Ordinal));

        var status = await UpstreamHub.PushAsync(request.Callback, body, UpstreamHub.Sign("sha256", request.Secret!, body));

        Assert.Equal(413, status);
        Assert.Single(await _author.PostsOfAsync(id));
    }

    [Fact]
    public async Task A_push_to_a_callback_no_longer_in_use_is_answered_410_so_the_hub_drops_it()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, request) = await SubscribeAsync("dropped", hub);
        Assert.Equal(HttpStatusCode.NoContent, (await _author.DeleteAsync($"/api/sources/{id}")).StatusCode);
        var body = Encoding.UTF8.GetBytes(Feed("dropped", hub.HubUrl, 2));

        Assert.Equal(410, await UpstreamHub.PushAsync(request.Callback, body, UpstreamHub.Sign("sha256", request.Secret!, body)));
    }

    [Fact]
    public async Task Leases_are_renewed_before_they_end_with_the_same_callback_and_secret()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, first) = await SubscribeAsync("renewed", hub, leaseSeconds: 1000);
        var leaseEnds = (await PushOf(id)).Time("leaseEndsAt");
        var subscriber = fixture.Server.Services.GetRequiredService<SourceSubscriber>();

        // Renewal falls due at four fifths of the lease: not yet 300 s before its end, due 100 s before.
        await subscriber.SweepAsync(leaseEnds.AddSeconds(-300), CancellationToken.None);
        Assert.Single(hub.Requests);
        await subscriber.SweepAsync(leaseEnds.AddSeconds(-100), CancellationToken.None);

        var renewal = await hub.RequestAsync(first.Topic, count: 2);
        Assert.Equal(first.Callback, renewal.Callback);
        Assert.Equal(first.Secret, renewal.Secret);
        Assert.Equal("pushed", (await PushOf(id)).GetProperty("updates").GetString());
        Assert.Equal(200, (await UpstreamHub.VerifyAsync(renewal.Callback, renewal.Topic, "again", 5000)).Status);
        Assert.True((await PushOf(id)).Time("leaseEndsAt") > leaseEnds);
    }

    [Fact]
    public async Task When_the_hub_is_gone_at_renewal_the_source_is_polled_again_at_once_and_says_why()
    {
        var hub = await UpstreamHub.StartAsync();
        var (id, _) = await SubscribeAsync("hub-gone", hub, leaseSeconds: 1000);
        var pushed = await _author.SourceAsync(id);
        var leaseEnds = pushed.GetProperty("push").Time("leaseEndsAt");
        await hub.DisposeAsync();

        await fixture.Server.Services.GetRequiredService<SourceSubscriber>().SweepAsync(leaseEnds.AddSeconds(-100), CancellationToken.None);

        var source = await _author.SourceAsync(id);
        var push = source.GetProperty("push");
        Assert.Equal("polled", push.GetProperty("updates").GetString());
        Assert.Contains(hub.HubUrl, push.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(source.Fetch().Time("nextCheckAt") < pushed.Fetch().Time("nextCheckAt"), "polling did not resume sooner");
        var poll = await _author.RefreshAsync(id);
        Assert.NotEqual(PushFixture.SafetyPollMinutes, poll.GetProperty("source").Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
    }

    [Fact]
    public async Task A_lease_the_hub_lets_end_puts_the_source_back_to_polling()
    {
        await using var hub = await UpstreamHub.StartAsync();
        var (id, _) = await SubscribeAsync("lease-ends", hub, leaseSeconds: 1000);
        var leaseEnds = (await PushOf(id)).Time("leaseEndsAt");
        var subscriber = fixture.Server.Services.GetRequiredService<SourceSubscriber>();
        await subscriber.SweepAsync(leaseEnds.AddSeconds(-100), CancellationToken.None);

        // The hub took the renewal but never verified it.
        await subscriber.SweepAsync(leaseEnds.AddSeconds(1), CancellationToken.None);

        var push = await PushOf(id);
        Assert.Equal("polled", push.GetProperty("updates").GetString());
        Assert.Contains("lease ended", push.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_that_refuses_or_denies_leaves_the_source_polled_and_says_why()
    {
        await using var refusing = await UpstreamHub.StartAsync();
        refusing.Answer = 403;
        await using var denying = await UpstreamHub.StartAsync();

        var (refusedId, _) = await FollowAsync("refused", refusing);
        var (deniedId, request) = await FollowAsync("denied", denying);
        Assert.Equal(200, await UpstreamHub.DenyAsync(request.Callback, request.Topic, "not on our list"));

        Assert.True(await WebSub.TestSubscriber.WaitUntilAsync(async () => (await PushOf(refusedId)).GetProperty("reason").GetString()!.Contains("403", StringComparison.Ordinal)));
        var denied = await PushOf(deniedId);
        Assert.Equal("polled", denied.GetProperty("updates").GetString());
        Assert.Contains("not on our list", denied.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_without_a_hub_is_polled_and_says_so()
    {
        _upstream.Feed("no-hub", TestFeeds.Rss("no-hub", "https://no-hub.example/", []));

        var source = await _author.FollowAsync(new { url = _upstream.Url("no-hub") });

        Assert.Equal("polled", source.GetProperty("push").GetProperty("updates").GetString());
        Assert.Contains("no WebSub hub", source.GetProperty("push").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_private_BaseUrl_sources_stay_polled_and_say_why()
    {
        await using var hub = await UpstreamHub.StartAsync();
        await using var server = new FeedsServer(settings: SourceTesting.Settings());
        using var author = server.CreateAuthorizedClient();
        _upstream.Feed("private-base", Feed("private-base", hub.HubUrl, 1));

        var id = (await author.FollowAsync(new { url = _upstream.Url("private-base") })).Id();

        Assert.True(await WebSub.TestSubscriber.WaitUntilAsync(async () =>
            (await author.SourceAsync(id)).GetProperty("push").GetProperty("reason").GetString()!.Contains("BaseUrl", StringComparison.Ordinal)));
        Assert.Equal("polled", (await author.SourceAsync(id)).GetProperty("push").GetProperty("updates").GetString());
        Assert.Empty(hub.Requests);
    }
}
