using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

public sealed class ActivityPubInboxLimitsTests
{
    [Fact]
    public async Task A_key_on_a_private_address_is_never_fetched_and_the_request_is_401()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings(s => s["Feeds:ActivityPub:AllowPrivateNetworks"] = "false"));

        using var response = await peer.PostSignedAsync(
            new Uri(server.Address, "/ap/inbox").ToString(), "alice", peer.Follow("alice", new Uri(server.Address, "/ap/actor").ToString()));

        await response.AssertProblemAsync(401);
        Assert.Equal(0, peer.ActorFetches);
        Assert.Empty((await server.CreateAuthorizedClient().FollowersAsync()).FollowerIds("site"));
    }

    [Fact]
    public async Task A_flood_from_one_host_is_refused_with_429_once_over_the_limit()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings(s => s["Feeds:ActivityPub:InboxRequestsPerMinutePerHost"] = "3"));
        var inbox = new Uri(server.Address, "/ap/inbox").ToString();
        var statuses = new List<int>();

        for (var i = 0; i < 5; i++)
        {
            using var response = await peer.PostSignedAsync(inbox, "alice", peer.Follow("alice", new Uri(server.Address, "/ap/actor").ToString()));
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([202, 202, 202, 429, 429], statuses);
    }

    [Fact]
    public async Task A_known_signer_with_a_new_key_is_fetched_again_once_and_accepted()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var inbox = new Uri(server.Address, "/ap/inbox").ToString();
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());
        Assert.Equal(1, peer.ActorFetches);

        peer.RotateKey("alice");
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());

        Assert.Equal(2, peer.ActorFetches);
    }

    [Fact]
    public async Task The_key_pair_made_on_first_start_is_the_one_served_after_a_restart()
    {
        var data = TempDirectory.Create();
        string first;
        int port;
        using (var server = new FeedsServer(data, Fediverse.Settings()))
        {
            port = server.Address.Port;
            first = await PublicKeyAsync(server);
        }

        using var restarted = new FeedsServer(data, Fediverse.Settings(), port);
        using var another = new FeedsServer(settings: Fediverse.Settings());

        Assert.Equal(first, await PublicKeyAsync(restarted));
        Assert.NotEqual(first, await PublicKeyAsync(another));
    }

    private static async Task<string> PublicKeyAsync(FeedsServer server) =>
        (await (await server.CreateClient().GetAsync("/ap/actor")).ReadJsonAsync()).GetProperty("publicKey").GetProperty("publicKeyPem").GetString()!;

    [Fact]
    public async Task Without_a_public_https_base_url_ActivityPub_is_off_and_says_why()
    {
        using var server = new FeedsServer();
        var client = server.CreateClient();

        using var webFinger = await client.GetAsync($"/.well-known/webfinger?resource=acct:links@{server.Domain()}");
        using var actor = await client.GetAsync("/ap/actor");

        await webFinger.AssertProblemAsync(404);
        await actor.AssertProblemAsync(404);
        Assert.Contains(server.Logs.Entries, e => e.Category == "Feeds.Server.ActivityPub"
            && e.Values.TryGetValue("Reason", out var reason) && reason is string text && text.Contains("not https", StringComparison.Ordinal));
        Assert.DoesNotContain("application/activity+json", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
