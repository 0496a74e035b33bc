using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

public sealed class ActivityPubDurabilityTests
{
    private const int Servers = 25;
    private const int PostsToPublish = 20;

    /// <remarks>
    /// Delivery is at least once: one in flight at the kill whose receiver had already taken it is sent again, at most
    /// one per inbox (one attempt at a time per inbox). Here no peer answers before the kill, so none may arrive twice.
    /// </remarks>
    [Fact]
    public async Task Five_hundred_deliveries_pending_at_a_sigkill_all_arrive_after_restart_each_once()
    {
        PythonHttpsig.Require();
        var peers = new List<MastodonPeer>();
        try
        {
            for (var i = 0; i < Servers; i++)
            {
                peers.Add(await MastodonPeer.StartAsync());
            }

            var answered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Before the kill every delivery hangs, so each is in flight or waiting its turn when the process dies.
            peers.ForEach(p => p.Answer = _ => answered.Task);
            var dataDirectory = TempDirectory.Create();
            var settings = Fediverse.Settings(s => s["Feeds:ActivityPub:Timeout"] = "00:01:00");
            // The process's base URL is https://links.example (ServerProcess): its actors' names, and the host it answers as.
            const string siteHost = "links.example";
            const string siteActor = "https://" + siteHost + "/ap/actor";

            using (var server = await ServerProcess.StartAsync(dataDirectory, settings))
            {
                var inbox = new Uri(server.BaseAddress, "/ap/inbox").ToString();
                foreach (var peer in peers)
                {
                    using var followed = await peer.PostSignedAsync(inbox, "reader", peer.Follow("reader", siteActor), host: siteHost);
                    Assert.True((int)followed.StatusCode == 202, $"Follow answered {(int)followed.StatusCode}: {await followed.Content.ReadAsStringAsync()}");
                }

                using var author = server.CreateAuthorizedClient();
                for (var i = 0; i < PostsToPublish; i++)
                {
                    await author.CreateAsync(Infrastructure.Posts.Valid($"Durable {i}"));
                }

                // Each peer holds its reader's Accept and a first Create.
                Assert.True(await TestSubscriber.WaitUntilAsync(() => peers.All(p => p.MaxInFlight >= 2)));
                server.Kill();
            }

            // The dead process's requests end unanswered before any answer is let through, so none counts as delivered.
            Assert.True(await TestSubscriber.WaitUntilAsync(() => peers.All(p => p.InFlight == 0)), "the killed process's requests stayed open");
            answered.SetResult(202);
            peers.ForEach(p => p.Answer = _ => Task.FromResult(202));
            Assert.All(peers, p => Assert.Empty(p.Received));

            using var restarted = await ServerProcess.StartAsync(dataDirectory, settings);
            Assert.True(
                await TestSubscriber.WaitUntilAsync(() => peers.All(p => p.Received.Count(r => r.Type == "Create") >= PostsToPublish), TimeSpan.FromSeconds(60)),
                $"{peers.Sum(p => p.Received.Count(r => r.Type == "Create"))} of {Servers * PostsToPublish} Creates arrived");
            // Anything sent twice would have come by now.
            await Task.Delay(1000);
            foreach (var peer in peers)
            {
                var creates = peer.Received.Where(r => r.Type == "Create").Select(r => r.Activity.GetProperty("id").GetString()).ToList();
                Assert.Equal(PostsToPublish, creates.Count);
                Assert.Equal(PostsToPublish, creates.Distinct().Count());
                Assert.Single(peer.Received, r => r.Type == "Accept");
            }
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }
}
