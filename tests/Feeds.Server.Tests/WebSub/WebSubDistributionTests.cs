using System.Net;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.WebSub;

public sealed class WebSubDistributionTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task A_new_document_reaches_the_subscriber_whole_with_its_content_type_links_and_a_valid_signature()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic("everything.rss"), subscriber.Url("cb"), secret: "a shared secret");

        await author.CreateAsync(Infrastructure.Posts.Valid("Pushed to subscribers"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Distributions.Count >= 1));
        var distribution = subscriber.Distributions[0];
        Assert.Equal("application/rss+xml; charset=utf-8", distribution.ContentType);
        Assert.Equal($"<{server.Address}websub>; rel=\"hub\", <{server.Topic("everything.rss")}>; rel=\"self\"", distribution.Link);
        Assert.True(distribution.SignedWith("a shared secret"), distribution.Signature);
        Assert.False(distribution.SignedWith("another secret"));
        Assert.Equal(await server.CreateClient().GetByteArrayAsync("everything.rss"), distribution.Body);
        Assert.Contains("Pushed to subscribers", distribution.Text);
    }

    [Fact]
    public async Task Each_of_a_series_of_publishes_reaches_the_subscriber_in_the_document_sent_after_it()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        for (var i = 0; i < 20; i++)
        {
            // The document is stored before it is swapped into memory: what is sent must be the stored one.
            await author.CreateAsync(Infrastructure.Posts.Valid($"Series {i}"));
            Assert.True(
                await TestSubscriber.WaitUntilAsync(() => subscriber.Distributions.Any(d => d.Text.Contains($"Series {i}<", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)),
                $"no distribution carried 'Series {i}'");
        }
    }

    [Fact]
    public async Task A_subscriber_that_gave_no_secret_gets_no_signature()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Unsigned"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Distributions.Count >= 1));
        Assert.Null(subscriber.Distributions[0].Signature);
    }

    [Fact]
    public async Task Only_subscribers_of_a_changed_topic_receive_it()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("Seeds both tags", "python", "rust"));
        Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            (await server.CreateClient().GetStringAsync("tags/rust.json")).Contains("Seeds both tags", StringComparison.Ordinal)));
        await author.SubscribeAsync(server.Topic("tags/python.atom"), subscriber.Url("python"));
        await author.SubscribeAsync(server.Topic("tags/rust.json"), subscriber.Url("rust"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Only python", "python"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.At("python").Any(d => d.Text.Contains("Only python", StringComparison.Ordinal))));
        await Task.Delay(500);
        Assert.Empty(subscriber.At("rust"));
    }

    [Fact]
    public async Task A_failing_callback_is_tried_again_until_it_accepts_and_each_attempt_is_logged()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        subscriber.Accept = (_, n) => Task.FromResult(n < 2 ? 503 : 200);
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Third time lucky"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Distributions.Any(d => d.AnsweredWith == 200)));
        Assert.Equal([503, 503, 200], subscriber.Distributions.Select(d => d.AnsweredWith));
        Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            (await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")))!.Value.GetProperty("lastDelivery") is { ValueKind: System.Text.Json.JsonValueKind.Object } last
            && last.GetProperty("statusCode").GetInt32() == 200 && last.GetProperty("succeeded").GetBoolean()));
    }

    [Fact]
    public async Task A_burst_of_changes_while_a_distribution_is_under_way_ends_in_one_more_with_the_latest_document()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Accept = (_, n) => n == 0 ? release.Task : Task.FromResult(200);
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Burst 0"));
        // The first distribution is held open before the burst starts, so every post of the burst comes after it.
        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.DistributionsHeld == 1));
        for (var i = 1; i <= 10; i++)
        {
            await author.CreateAsync(Infrastructure.Posts.Valid($"Burst {i}"));
        }

        var feeds = server.CreateClient();
        Assert.True(await TestSubscriber.WaitUntilAsync(async () => (await feeds.GetStringAsync("everything.atom")).Contains("Burst 10", StringComparison.Ordinal)));
        await Task.Delay(300);
        release.SetResult(200);

        Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.Distributions.Count >= 2));
        await Task.Delay(800);
        Assert.Equal(2, subscriber.Distributions.Count);
        var latest = XDocument.Parse(subscriber.Distributions[1].Text);
        Assert.Equal(11, latest.Root!.Elements(Atom + "entry").Count());
        Assert.Contains("Burst 10", subscriber.Distributions[1].Text);
    }

    [Fact]
    public async Task A_callback_answering_410_Gone_ends_its_subscription()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        subscriber.Accept = (_, _) => Task.FromResult(410);
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("cb"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Nobody home"));

        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await author.SubscriberAsync(server.Topic(), subscriber.Url("cb")) is null));
        await author.CreateAsync(Infrastructure.Posts.Valid("Still nobody"));
        await Task.Delay(800);
        Assert.Single(subscriber.Distributions);
    }

    [Fact]
    public async Task The_subscriber_list_needs_a_token_and_groups_subscribers_by_topic()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("a"), secret: "s");
        await author.SubscribeAsync(server.Topic(), subscriber.Url("b"));
        await author.SubscribeAsync(server.Topic("everything.json"), subscriber.Url("c"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient().GetAsync("/api/websub/subscriptions")).StatusCode);
        var list = System.Text.Json.JsonDocument.Parse(await author.GetStringAsync("/api/websub/subscriptions")).RootElement;
        var topics = list.GetProperty("topics").EnumerateArray().ToList();
        Assert.Equal([server.Topic(), server.Topic("everything.json")], topics.Select(t => t.GetProperty("topic").GetString()));
        Assert.Equal(2, topics[0].GetProperty("active").GetInt32());
        Assert.Equal([true, false], topics[0].GetProperty("subscribers").EnumerateArray().Select(s => s.GetProperty("hasSecret").GetBoolean()));
        Assert.All(topics.SelectMany(t => t.GetProperty("subscribers").EnumerateArray()), s => Assert.Equal(System.Text.Json.JsonValueKind.Null, s.GetProperty("lastDelivery").ValueKind));
    }

    [Fact]
    public async Task With_an_external_hub_the_feeds_name_it_and_each_change_pings_it_once()
    {
        await using var hub = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings(s => s["Feeds:WebSub:Hub"] = hub.Url("hub")));
        var author = server.CreateAuthorizedClient();

        var response = await server.CreateClient().GetAsync("everything.atom");
        Assert.StartsWith($"<{hub.Url("hub")}>; rel=\"hub\"", response.Headers.GetValues("Link").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().RequestAsync("subscribe", server.Topic(), hub.Url("cb"))).StatusCode);

        // The first documents, rendered at start-up, are announced too.
        Assert.True(await TestSubscriber.WaitUntilAsync(() => hub.At("hub").Count >= 3));
        await Task.Delay(300);
        var before = hub.At("hub").Count;
        await author.CreateAsync(Infrastructure.Posts.Valid("Ping the hub"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => hub.At("hub").Count >= before + 3));
        await Task.Delay(500);
        Assert.Equal(before + 3, hub.At("hub").Count);
        var pings = hub.At("hub").Skip(before).Select(p => System.Web.HttpUtility.ParseQueryString(p.Text)).ToList();
        Assert.All(pings, p => Assert.Equal("publish", p["hub.mode"]));
        Assert.Equal(
            new[] { "everything.atom", "everything.json", "everything.rss" }.Select(p => server.Topic(p)).Order(),
            pings.Select(p => p["hub.url"]!).Order());
    }
}
