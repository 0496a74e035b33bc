using Feeds.Server.Tests.ActivityPub;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests.ActivityPub;

namespace Feeds.Cli.Tests;

/// <summary><c>feeds followers</c> against a live server followed from a Mastodon-like peer.</summary>
public sealed class FollowersCommandTests
{
    [Fact]
    public async Task Followers_are_listed_per_actor_with_their_inbox()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());
        var cli = new Infrastructure.Cli(server);

        var table = await cli.OkAsync("followers");
        var json = await cli.JsonAsync("followers");

        Assert.Contains($"@links@{server.Domain()}", table.Out, StringComparison.Ordinal);
        Assert.Contains(peer.ActorId("alice"), table.Out, StringComparison.Ordinal);
        Assert.Contains(peer.Url("inbox"), table.Out, StringComparison.Ordinal);
        var site = json.GetProperty("actors")[0];
        Assert.Equal("site", site.GetProperty("actor").GetString());
        Assert.Equal(peer.ActorId("alice"), site.GetProperty("followers")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Listing_followers_without_a_token_exits_with_3()
    {
        using var server = new FeedsServer();

        var result = await new Infrastructure.Cli(server, token: null).RunAsync("followers");

        Assert.Equal(ExitCodes.Auth, result.ExitCode);
    }
}
