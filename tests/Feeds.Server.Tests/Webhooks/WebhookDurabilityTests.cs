using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Webhooks;

public sealed class WebhookDurabilityTests
{
    private const int Endpoints = 20;
    private const int PostsToPublish = 25;

    [Fact]
    public async Task Five_hundred_pending_messages_survive_a_sigkill_and_all_arrive_after_restart()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var healthy = false;
        // Before the kill every request hangs, so messages are either in flight or waiting their turn.
        receiver.Respond = (_, _) => Volatile.Read(ref healthy) ? Answer.Ok : Answer.Hangs;
        var dataDirectory = TempDirectory.Create();
        var settings = Webhooks.FastSettings(s => s["Feeds:Webhooks:Timeout"] = "00:01:00");

        using (var server = await ServerProcess.StartAsync(dataDirectory, settings))
        {
            using var author = server.CreateAuthorizedClient();
            for (var i = 0; i < Endpoints; i++)
            {
                await author.SubscribeAsync(receiver.Url($"r{i}"));
            }

            for (var i = 0; i < PostsToPublish; i++)
            {
                await author.CreateAsync(Webhooks.Post($"Post {i}"));
            }

            // Some attempts are under way (hanging) when the process dies; none has been answered.
            Assert.True(await receiver.WaitUntilAsync(r => r.Count >= Endpoints));
            server.Kill();
        }

        Assert.DoesNotContain(receiver.Received, r => r.AnsweredWith == 200);
        Volatile.Write(ref healthy, true);

        using var restarted = await ServerProcess.StartAsync(dataDirectory, settings);
        Assert.True(
            await receiver.WaitUntilAsync(r => r.Where(x => x.AnsweredWith == 200).Select(x => x.Id).Distinct().Count() >= Endpoints * PostsToPublish, TimeSpan.FromSeconds(30)),
            $"{receiver.Received.Where(x => x.AnsweredWith == 200).Select(x => x.Id).Distinct().Count()} of {Endpoints * PostsToPublish} arrived");

        var delivered = receiver.Received.Where(x => x.AnsweredWith == 200).ToList();
        Assert.Equal(Endpoints * PostsToPublish, delivered.Select(d => d.Id).Distinct().Count());
        foreach (var path in Enumerable.Range(0, Endpoints).Select(i => $"/r{i}"))
        {
            Assert.Equal(PostsToPublish, delivered.Where(d => d.Path == path).Select(d => d.Json.GetProperty("data").GetProperty("id").GetString()).Distinct().Count());
        }

        // Everything delivered is recorded as such: nothing is sent a second time by the restarted server.
        using var author2 = restarted.CreateAuthorizedClient();
        await Task.Delay(500);
        var afterSettling = receiver.Received.Count(x => x.AnsweredWith == 200);
        await Task.Delay(1500);
        Assert.Equal(afterSettling, receiver.Received.Count(x => x.AnsweredWith == 200));
    }
}
