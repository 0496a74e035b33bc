using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>
/// Tag actors boost the site's notes to their followers: a Mastodon account following only a tag sees its posts, as
/// Mastodon shows a <c>Create</c> only to followers of its author.
/// </summary>
public sealed class ActivityPubTagActorTests
{
    [Fact]
    public async Task A_follower_of_a_tag_alone_sees_its_posts_through_the_tag_actors_Announce_signed_with_its_key()
    {
        await using var site = await FederatedSite.StartAsync("python");
        var (peer, server, author) = site;
        var tagActor = await peer.ResolveAsync(server.Address, $"python@{server.Domain()}");
        await peer.FollowAsync(server, "bob", tagActor);

        var post = await author.CreateAsync(Infrastructure.Posts.Valid("Boosted to bob", "python"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Announce")));
        var announce = Assert.Single(peer.Received, r => r.Type == "Announce");
        Assert.Equal("/inbox", announce.Path);
        Assert.Equal(tagActor, announce.Activity.GetProperty("actor").GetString());
        Assert.Equal(tagActor + "#main-key", announce.KeyId);
        var tagKey = (await peer.FetchActorAsync(tagActor)).GetProperty("publicKey").GetProperty("publicKeyPem").GetString()!;
        var (ok, error) = await MastodonPeer.VerifyAsync(announce, tagKey);
        Assert.True(ok, error);
        Assert.DoesNotContain(peer.Received, r => r.Type == "Create");

        var noteId = new Uri(server.Address, "/ap/posts/" + post.GetProperty("id").GetString()).ToString();
        Assert.Equal([noteId], peer.HomeTimeline("bob"));
        Assert.Contains("Boosted to bob</a>", (await peer.FetchObjectAsync(noteId)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Each_tag_actor_boosts_once_per_shared_inbox_however_many_of_its_followers_live_there()
    {
        await using var site = await FederatedSite.StartAsync("python", "rust");
        var (peer, server, author) = site;
        await peer.FollowAsync(server, "alice", site.Actor("python"));
        await peer.FollowAsync(server, "bob", site.Actor("python"));
        await peer.FollowAsync(server, "carol", site.Actor("rust"));

        await author.CreateAsync(Infrastructure.Posts.Valid("Two tags", "python", "rust"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Count(r => r.Type == "Announce") >= 2));
        await Task.Delay(500);
        var announcers = peer.Received.Where(r => r.Type == "Announce").Select(r => r.Activity.GetProperty("actor").GetString()!).Order().ToArray();
        Assert.Equal([site.Actor("python"), site.Actor("rust")], announcers);
        Assert.Single(peer.HomeTimeline("alice"));
        Assert.Single(peer.HomeTimeline("carol"));
    }

    [Fact]
    public async Task An_edit_and_a_deletion_reach_the_followers_of_a_tag_as_Update_and_Delete()
    {
        await using var site = await FederatedSite.StartAsync("python");
        var (peer, server, author) = site;
        await peer.FollowAsync(server, "bob", site.Actor("python"));
        var id = (await author.CreateAsync(Infrastructure.Posts.Valid("Edited later", "python"))).GetProperty("id").GetString();
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Announce")));

        await PatchAsync(author, id, """{"title":"Edited now"}""");
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Update")));
        (await author.DeleteAsync($"/api/posts/{id}")).EnsureSuccessStatusCode();
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Delete")));

        var update = peer.Received.Single(r => r.Type == "Update");
        Assert.Equal("/inbox", update.Path);
        Assert.Contains("Edited now</a>", update.Activity.GetProperty("object").GetProperty("content").GetString());
        Assert.Equal("Tombstone", peer.Received.Single(r => r.Type == "Delete").Activity.GetProperty("object").GetProperty("type").GetString());
        Assert.Empty(peer.HomeTimeline("bob"));
    }

    [Fact]
    public async Task An_edit_adding_a_tag_boosts_the_post_to_its_followers_and_one_removing_it_undoes_the_boost()
    {
        await using var site = await FederatedSite.StartAsync("rust");
        var (peer, server, author) = site;
        var rust = site.Actor("rust");
        await peer.FollowAsync(server, "carol", rust);
        var id = (await author.CreateAsync(Infrastructure.Posts.Valid("Retagged", "python"))).GetProperty("id").GetString();
        var noteId = new Uri(server.Address, "/ap/posts/" + id).ToString();

        await PatchAsync(author, id, """{"tags":["python","rust"]}""");
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Announce")));
        Assert.Equal(rust, peer.Received.Single(r => r.Type == "Announce").Activity.GetProperty("actor").GetString());
        Assert.Equal([noteId], peer.HomeTimeline("carol"));

        await PatchAsync(author, id, """{"tags":["python"]}""");
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Type == "Undo")));
        var undo = peer.Received.Single(r => r.Type == "Undo").Activity;
        Assert.Equal(rust, undo.GetProperty("actor").GetString());
        Assert.Equal("Announce", undo.GetProperty("object").GetProperty("type").GetString());
        Assert.Equal(noteId, undo.GetProperty("object").GetProperty("object").GetString());
        Assert.Empty(peer.HomeTimeline("carol"));
    }

    private static async Task PatchAsync(HttpClient author, string? id, string patch)
    {
        using var response = await author.PatchAsync($"/api/posts/{id}", new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
