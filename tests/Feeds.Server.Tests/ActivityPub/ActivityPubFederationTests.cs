using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>The site and a Mastodon-like peer, both real HTTP servers, following and delivering to each other.</summary>
public sealed class ActivityPubFederationTests
{
    [Fact]
    public async Task A_peer_resolves_the_site_follows_it_and_gets_a_signed_Accept()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var siteActor = await peer.ResolveAsync(server.Address, $"links@{server.Domain()}");
        var inbox = (await peer.FetchActorAsync(siteActor)).GetProperty("inbox").GetString()!;

        var follow = peer.Follow("alice", siteActor);
        using var response = await peer.PostSignedAsync(inbox, "alice", follow);

        Assert.Equal(202, (int)response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Accept")));
        var accept = peer.Received.Single(r => r.Type == "Accept");
        Assert.Equal("/users/alice/inbox", accept.Path);
        Assert.Equal(siteActor, accept.Activity.GetProperty("actor").GetString());
        Assert.Equal(follow["id"]!.GetValue<string>(), accept.Activity.GetProperty("object").GetProperty("id").GetString());
        var (ok, error) = await MastodonPeer.VerifyAsync(accept, await peer.PublicKeyPemAsync(server));
        Assert.True(ok, error);
        Assert.Equal(siteActor + "#main-key", JsonSignatureKeyId(accept));
        Assert.Equal([peer.ActorId("alice")], (await server.CreateAuthorizedClient().FollowersAsync()).FollowerIds("site"));
    }

    [Fact]
    public async Task A_publish_an_edit_and_a_deletion_reach_the_follower_as_signed_Create_Update_and_Delete()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());
        var publicKey = await peer.PublicKeyPemAsync(server);

        var post = await author.CreateAsync(Infrastructure.Posts.Valid("Federated", "python"));
        var id = post.GetProperty("id").GetString();
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Create")));
        using (var edit = await author.PatchAsync($"/api/posts/{id}", new StringContent("""{"title":"Federated, edited"}""", System.Text.Encoding.UTF8, "application/merge-patch+json")))
        {
            Assert.True(edit.IsSuccessStatusCode, await edit.Content.ReadAsStringAsync());
        }

        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Update")));
        (await author.DeleteAsync($"/api/posts/{id}")).EnsureSuccessStatusCode();
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Delete")));

        var create = peer.Received.Single(r => r.Type == "Create");
        var update = peer.Received.Single(r => r.Type == "Update");
        var delete = peer.Received.Single(r => r.Type == "Delete");
        foreach (var delivery in new[] { create, update, delete })
        {
            Assert.Equal("/inbox", delivery.Path);
            var (ok, error) = await MastodonPeer.VerifyAsync(delivery, publicKey);
            Assert.True(ok, $"{delivery.Type}: {error}");
        }

        var note = create.Activity.GetProperty("object");
        Assert.Equal("Note", note.GetProperty("type").GetString());
        Assert.Contains("Federated</a>", note.GetProperty("content").GetString());
        Assert.Equal(note.GetProperty("id").GetString(), update.Activity.GetProperty("object").GetProperty("id").GetString());
        Assert.Contains("Federated, edited</a>", update.Activity.GetProperty("object").GetProperty("content").GetString());
        Assert.Equal("Tombstone", delete.Activity.GetProperty("object").GetProperty("type").GetString());
        Assert.Equal(note.GetProperty("id").GetString(), delete.Activity.GetProperty("object").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Followers_of_the_site_and_of_a_tag_on_one_server_get_one_Create_at_its_shared_inbox()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("Makes the tag public", "python"));
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());
        await peer.FollowAsync(server, "bob", await peer.ResolveAsync(server.Address, $"python@{server.Domain()}"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Once per server", "python"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Create")));
        await Task.Delay(500);
        Assert.Single(peer.Received, r => r.Type == "Create");
        var followers = await author.FollowersAsync();
        Assert.Equal([peer.ActorId("bob")], followers.FollowerIds("tag:python"));
    }

    [Fact]
    public async Task Only_followers_of_the_posts_tags_or_of_the_site_receive_it_and_drafts_send_nothing()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("Makes the tag public", "rust"));
        await peer.FollowAsync(server, "bob", new Uri(server.Address, "/ap/tags/rust").ToString());

        await author.CreateAsync(Infrastructure.Posts.Valid("Not for rust followers", "python"));
        await author.CreateAsync(new { url = "https://example.com/d", title = "A draft", commentary = "No.", tags = new[] { "rust" }, status = "draft" });
        await author.CreateAsync(Infrastructure.Posts.Valid("For rust followers", "rust"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Create")));
        await Task.Delay(500);
        var create = Assert.Single(peer.Received, r => r.Type == "Create");
        Assert.Contains("For rust followers", create.Body);
    }

    [Fact]
    public async Task Undo_of_a_follow_ends_it_and_the_peer_gets_nothing_more()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        var siteActor = new Uri(server.Address, "/ap/actor").ToString();
        var follow = peer.Follow("alice", siteActor);
        (await peer.PostSignedAsync(siteActor + "/inbox", "alice", follow)).EnsureSuccessStatusCode();
        Assert.Single((await author.FollowersAsync()).FollowerIds("site"));

        var undo = new System.Text.Json.Nodes.JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = peer.ActorId("alice") + "#undo/1",
            ["type"] = "Undo",
            ["actor"] = peer.ActorId("alice"),
            ["object"] = follow.DeepClone(),
        };
        using var response = await peer.PostSignedAsync(siteActor + "/inbox", "alice", undo);

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Empty((await author.FollowersAsync()).FollowerIds("site"));
        await author.CreateAsync(Infrastructure.Posts.Valid("After the undo"));
        await Task.Delay(700);
        Assert.DoesNotContain(peer.Received, r => r.Type == "Create");
    }

    [Fact]
    public async Task Delete_of_an_actor_ends_all_its_follows()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        await author.CreateAsync(Infrastructure.Posts.Valid("Makes the tag public", "python"));
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/actor").ToString());
        await peer.FollowAsync(server, "alice", new Uri(server.Address, "/ap/tags/python").ToString());

        var delete = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = peer.ActorId("alice") + "#delete",
            ["type"] = "Delete",
            ["actor"] = peer.ActorId("alice"),
            ["object"] = peer.ActorId("alice"),
        };
        using var response = await peer.PostSignedAsync(new Uri(server.Address, "/ap/inbox").ToString(), "alice", delete);

        Assert.Equal(202, (int)response.StatusCode);
        var followers = await author.FollowersAsync();
        Assert.Empty(followers.FollowerIds("site"));
        Assert.Empty(followers.FollowerIds("tag:python"));
    }

    [Fact]
    public async Task Other_activities_are_accepted_and_ignored()
    {
        PythonHttpsig.Require();
        await using var peer = await MastodonPeer.StartAsync();
        using var server = new FeedsServer(settings: Fediverse.Settings());
        var like = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = peer.ActorId("alice") + "#likes/1",
            ["type"] = "Like",
            ["actor"] = peer.ActorId("alice"),
            ["object"] = new Uri(server.Address, "/ap/posts/" + Guid.Empty).ToString(),
        };

        using var response = await peer.PostSignedAsync(new Uri(server.Address, "/ap/inbox").ToString(), "alice", like);

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Empty((await server.CreateAuthorizedClient().FollowersAsync()).FollowerIds("site"));
    }

    private static string JsonSignatureKeyId(InboxDelivery delivery)
    {
        var signature = delivery.Headers["signature"];
        var start = signature.IndexOf("keyId=\"", StringComparison.Ordinal) + 7;
        return signature[start..signature.IndexOf('"', start)];
    }
}
