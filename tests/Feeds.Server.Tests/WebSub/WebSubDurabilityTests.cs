using System.Net;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.WebSub;

public sealed class WebSubDurabilityTests
{
    private const int Subscribers = 20;
    private const int PostsToPublish = 25;

    [Fact]
    public async Task Distributions_pending_at_a_sigkill_all_arrive_after_restart_with_the_latest_document()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        var healthy = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Before the kill every distribution hangs, so each is in flight or waiting its turn when the process dies.
        subscriber.Accept = (_, _) => healthy.Task;
        var dataDirectory = TempDirectory.Create();
        var settings = WebSubHub.FastSettings(s => s["Feeds:WebSub:Timeout"] = "00:01:00");
        const string topic = "https://links.example/everything.atom";

        using (var server = await ServerProcess.StartAsync(dataDirectory, settings))
        {
            using var author = server.CreateAuthorizedClient();
            for (var i = 0; i < Subscribers; i++)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await author.RequestAsync("subscribe", topic, subscriber.Url($"s{i}"), secret: $"secret {i}")).StatusCode);
            }

            Assert.True(await TestSubscriber.WaitUntilAsync(async () =>
            {
                var active = 0;
                for (var i = 0; i < Subscribers; i++)
                {
                    active += await author.SubscriberAsync(topic, subscriber.Url($"s{i}")) is not null ? 1 : 0;
                }

                return active == Subscribers;
            }));

            for (var i = 0; i < PostsToPublish; i++)
            {
                await author.CreateAsync(Infrastructure.Posts.Valid($"Durable {i}"));
            }

            Assert.True(await TestSubscriber.WaitUntilAsync(() => subscriber.DistributionsHeld == Subscribers));
            server.Kill();
        }

        Assert.Empty(subscriber.Distributions);
        healthy.SetResult(204);

        using var restarted = await ServerProcess.StartAsync(dataDirectory, settings);
        Assert.True(
            await TestSubscriber.WaitUntilAsync(
                () => Enumerable.Range(0, Subscribers).All(i => subscriber.At($"s{i}").Any(d => d.Text.Contains($"Durable {PostsToPublish - 1}", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30)),
            $"{Enumerable.Range(0, Subscribers).Count(i => subscriber.At($"s{i}").Any(d => d.Text.Contains($"Durable {PostsToPublish - 1}", StringComparison.Ordinal)))} of {Subscribers} have the latest document");
        for (var i = 0; i < Subscribers; i++)
        {
            var latest = subscriber.At($"s{i}").Last(d => d.Text.Contains($"Durable {PostsToPublish - 1}", StringComparison.Ordinal));
            Assert.True(latest.SignedWith($"secret {i}"));
            Assert.All(Enumerable.Range(0, PostsToPublish), p => Assert.Contains($"Durable {p}<", latest.Text));
        }
    }
}
