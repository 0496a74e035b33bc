using System.Net;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.WebSub;

public sealed class WebSubSubscriptionTests
{
    [Fact]
    public async Task A_subscription_is_accepted_with_202_and_holds_once_the_callback_echoes_the_challenge()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();

        var response = await server.CreateClient().RequestAsync("subscribe", server.Topic(), subscriber.Url("cb"), leaseSeconds: "3600");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")) is not null));
        var check = Assert.Single(subscriber.Checks);
        Assert.Equal("subscribe", check.Mode);
        Assert.Equal(server.Topic(), check.Topic);
        Assert.Equal("3600", check.LeaseSeconds);
        Assert.False(string.IsNullOrEmpty(check.Challenge));
        var subscription = (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value;
        Assert.Equal("active", subscription.GetProperty("state").GetString());
        Assert.Equal(3600, subscription.GetProperty("leaseSeconds").GetInt32());
    }

    [Theory]
    [InlineData(404, "echo")]
    [InlineData(200, "something else")]
    [InlineData(500, "echo")]
    public async Task A_callback_that_does_not_confirm_its_intent_is_not_subscribed(int status, string body)
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        subscriber.Confirm = check => (status, body == "echo" ? check.Challenge! : body);
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());

        var response = await server.CreateClient().RequestAsync("subscribe", server.Topic(), subscriber.Url("cb"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Checks.Count == 1));
        await Task.Delay(300);
        Assert.Null(await server.CreateAuthorizedClient().SubscriberAsync(server.Topic(), subscriber.Url("cb")));
    }

    [Theory]
    [InlineData("/tags/no-such-tag.atom", "no tag")]
    [InlineData("/everything.xml", "not a feed of this site")]
    [InlineData("/everything.atom?page=2", "not a feed of this site")]
    [InlineData("/site/nobody.example.atom", "no post links to nobody.example")]
    public async Task A_subscription_to_what_is_no_topic_of_the_site_is_denied_at_the_callback(string path, string reason)
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var topic = server.Address.ToString().TrimEnd('/') + path;

        var response = await server.CreateClient().RequestAsync("subscribe", topic, subscriber.Url("cb"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Checks.Count == 1));
        var denial = subscriber.Checks[0];
        Assert.Equal("denied", denial.Mode);
        Assert.Equal(topic, denial.Topic);
        Assert.Contains(reason, denial.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(denial.Challenge);
    }

    [Fact]
    public async Task A_sites_feed_is_a_topic_and_a_site_written_otherwise_is_denied_naming_its_one_address()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("On example.com"));

        await server.CreateClient().RequestAsync("subscribe", server.Topic("site/WWW.example.com.json"), subscriber.Url("other"));
        var accepted = await server.CreateClient().RequestAsync("subscribe", server.Topic("site/example.com.json"), subscriber.Url("cb"));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await author.SubscriberAsync(server.Topic("site/example.com.json"), subscriber.Url("cb")) is not null));
        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Checks.Any(c => c.Mode == "denied")));
        var denial = Assert.Single(subscriber.Checks, c => c.Mode == "denied");
        Assert.Contains(server.Topic("site/example.com.json"), denial.Reason);
    }

    [Fact]
    public async Task A_topic_that_is_not_canonical_is_denied_naming_the_canonical_one()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("Both", "b-tag", "a-tag"));

        await server.CreateClient().RequestAsync("subscribe", server.Topic("tags/b-tag+a-tag.atom"), subscriber.Url("cb"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Checks.Count == 1));
        Assert.Equal("denied", subscriber.Checks[0].Mode);
        Assert.Contains(server.Topic("tags/a-tag+b-tag.atom"), subscriber.Checks[0].Reason);
    }

    [Theory]
    [InlineData(null, "/everything.atom", "cb", null, null, "hub.mode")]
    [InlineData("publish", "/everything.atom", "cb", null, null, "hub.mode")]
    [InlineData("subscribe", null, "cb", null, null, "hub.topic")]
    [InlineData("subscribe", "/everything.atom", null, null, null, "hub.callback")]
    [InlineData("subscribe", "/everything.atom", "ftp://example.org/cb", null, null, "hub.callback")]
    [InlineData("subscribe", "/everything.atom", "cb", "soon", null, "hub.lease_seconds")]
    [InlineData("subscribe", "/everything.atom", "cb", "0", null, "hub.lease_seconds")]
    [InlineData("subscribe", "/everything.atom", "cb", null, "200", "hub.secret")]
    public async Task A_malformed_request_is_refused_with_400_naming_the_parameter(
        string? mode, string? topicPath, string? callback, string? lease, string? secretLength, string field)
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var topic = topicPath is null ? null : server.Address.ToString().TrimEnd('/') + topicPath;
        var secret = secretLength is null ? null : new string('s', int.Parse(secretLength, System.Globalization.CultureInfo.InvariantCulture));

        var response = await server.CreateClient().RequestAsync(mode, topic, callback == "cb" ? subscriber.Url("cb") : callback, lease, secret);

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal([field], problem.ErrorFields());
        await Task.Delay(200);
        Assert.Empty(subscriber.Checks);
    }

    [Fact]
    public async Task A_request_that_is_not_form_encoded_is_refused_with_400()
    {
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());

        var response = await server.CreateClient().PostAsync("/websub", new StringContent("{\"hub.mode\":\"subscribe\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(["body"], (await response.AssertProblemAsync(400)).ErrorFields());
    }

    [Theory]
    [InlineData("1", "60")]
    [InlineData("999999999", "7200")]
    public async Task A_lease_outside_the_bounds_is_brought_within_them_and_the_verification_says_so(string asked, string granted)
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings(s =>
        {
            s["Feeds:WebSub:MinLeaseSeconds"] = "60";
            s["Feeds:WebSub:MaxLeaseSeconds"] = "7200";
            s["Feeds:WebSub:DefaultLeaseSeconds"] = "600";
        }));

        await server.CreateAuthorizedClient().SubscribeAsync(server.Topic(), subscriber.Url("cb"), leaseSeconds: asked);

        Assert.Equal(granted, subscriber.Checks.Single().LeaseSeconds);
    }

    [Fact]
    public async Task A_lease_runs_out_and_the_subscriber_receives_nothing_more()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"), leaseSeconds: "1");

        Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value.GetProperty("state").GetString() == "expired", TimeSpan.FromSeconds(5)));
        await author.CreateAsync(Infrastructure.Posts.Valid("After the lease"));
        await Task.Delay(800);

        Assert.Empty(subscriber.Distributions);
    }

    [Fact]
    public async Task Subscribing_again_renews_the_lease_of_the_same_subscription()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"), leaseSeconds: "100");
        var first = (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value;

        await server.CreateClient().RequestAsync("subscribe", server.Topic(), subscriber.Url("cb"), leaseSeconds: "5000");
        Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value.GetProperty("leaseSeconds").GetInt32() == 5000));

        var renewed = (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value;
        Assert.Equal(first.GetProperty("id").GetString(), renewed.GetProperty("id").GetString());
        Assert.True(renewed.GetProperty("leaseEndsAt").GetDateTime() > first.GetProperty("leaseEndsAt").GetDateTime().AddSeconds(4000));
        Assert.Equal(2, subscriber.Checks.Count(c => c.Mode == "subscribe"));
    }

    [Fact]
    public async Task Unsubscribing_is_verified_and_then_ends_the_subscription()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        var response = await server.CreateClient().RequestAsync("unsubscribe", server.Topic(), subscriber.Url("cb"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")) is null));
        var check = subscriber.Checks[^1];
        Assert.Equal("unsubscribe", check.Mode);
        Assert.False(string.IsNullOrEmpty(check.Challenge));
        Assert.Null(check.LeaseSeconds);
        await author.CreateAsync(Infrastructure.Posts.Valid("After leaving"));
        await Task.Delay(800);
        Assert.Empty(subscriber.Distributions);
    }

    [Fact]
    public async Task An_unsubscription_the_callback_does_not_confirm_leaves_the_subscription_in_place()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));
        subscriber.Confirm = _ => (404, "");

        await server.CreateClient().RequestAsync("unsubscribe", server.Topic(), subscriber.Url("cb"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Checks.Count == 2));
        await Task.Delay(300);
        Assert.NotNull(await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")));
    }

    [Fact]
    public async Task A_callback_on_a_private_address_is_refused_unless_private_networks_are_allowed()
    {
        using var server = new FeedsServer(settings: WebSubHub.FastSettings(s => s["Feeds:WebSub:AllowPrivateNetworks"] = "false"));

        foreach (var callback in new[] { "http://127.0.0.1:8080/cb", "http://10.0.0.7/cb", "http://[::1]:8080/cb", "http://169.254.169.254/latest" })
        {
            var response = await server.CreateClient().RequestAsync("subscribe", server.Topic(), callback);
            Assert.Equal(["hub.callback"], (await response.AssertProblemAsync(400)).ErrorFields());
        }
    }

    [Fact]
    public async Task A_flood_of_requests_for_one_callback_host_is_refused_with_429_after_the_limit()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings(s => s["Feeds:WebSub:RequestsPerMinutePerCallbackHost"] = "3"));
        var client = server.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.RequestAsync("subscribe", server.Topic(), subscriber.Url($"cb{i}"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var refused = await client.RequestAsync("subscribe", server.Topic(), subscriber.Url("cb9"));
        await refused.AssertProblemAsync(429);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        await Task.Delay(300);
        Assert.Equal(3, subscriber.Checks.Count);
    }
}
