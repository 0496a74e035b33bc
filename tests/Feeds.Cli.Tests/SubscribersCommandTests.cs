using System.Net.Http.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;

namespace Feeds.Cli.Tests;

/// <summary><c>feeds subscribers</c> against a live server whose hub has a subscriber.</summary>
public sealed class SubscribersCommandTests
{
    [Fact]
    public async Task Subscribers_are_listed_per_feed_with_state_lease_end_and_last_delivery()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        using var server = new FeedsServer(settings: WebSubHub.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(server.Topic(), subscriber.Url("reader"));
        (await author.PostAsJsonAsync("/api/posts", new { url = "https://example.com/pushed", title = "Pushed", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
        Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            await author.SubscriberAsync(server.Topic(), subscriber.Url("reader")) is { } s && s.GetProperty("lastDelivery").ValueKind == System.Text.Json.JsonValueKind.Object));
        var cli = new Infrastructure.Cli(server);

        var table = await cli.OkAsync("subscribers");
        var json = await cli.JsonAsync("subscribers");

        Assert.Contains(server.Topic(), table.Out, StringComparison.Ordinal);
        Assert.Contains(subscriber.Url("reader"), table.Out, StringComparison.Ordinal);
        Assert.Contains("active", table.Out, StringComparison.Ordinal);
        Assert.Contains("204", table.Out, StringComparison.Ordinal);
        var topic = json.GetProperty("topics")[0];
        Assert.Equal(1, topic.GetProperty("active").GetInt32());
        Assert.Equal(subscriber.Url("reader"), topic.GetProperty("subscribers")[0].GetProperty("callback").GetString());
    }

    [Fact]
    public async Task Listing_subscribers_without_a_token_exits_with_3()
    {
        using var server = new FeedsServer();

        var result = await new Infrastructure.Cli(server, token: null).RunAsync("subscribers");

        Assert.Equal(ExitCodes.Auth, result.ExitCode);
    }
}
