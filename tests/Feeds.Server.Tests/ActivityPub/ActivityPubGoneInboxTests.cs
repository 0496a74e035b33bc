using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>An inbox answering <c>410 Gone</c> is gone for good: its follows end and nothing is retried there.</summary>
public sealed class ActivityPubGoneInboxTests
{
    [Fact]
    public async Task A_410_from_a_shared_inbox_ends_every_follow_delivered_through_it_and_is_not_retried()
    {
        await using var site = await FederatedSite.StartAsync("python");
        var (gone, server, author) = site;
        await using var healthy = await MastodonPeer.StartAsync();
        await gone.FollowAsync(server, "alice", site.Actor());
        await gone.FollowAsync(server, "bob", site.Actor("python"));
        await healthy.FollowAsync(server, "carol", site.Actor());
        gone.Answer = path => Task.FromResult(path == "/inbox" ? 410 : 202);

        await author.CreateAsync(Infrastructure.Posts.Valid("Nobody home", "python"));

        Assert.True(await TestSubscriber.WaitUntilAsync(async () => (await author.FollowersAsync()).FollowerIds("tag:python").Length == 0));
        var followers = await author.FollowersAsync();
        Assert.Equal([healthy.ActorId("carol")], followers.FollowerIds("site"));
        Assert.True(await TestSubscriber.WaitUntilAsync(() => healthy.Received.Any(r => r.Type == "Create")));
        // Three retries 150 ms apart would have come by now.
        await Task.Delay(1000);
        var attempts = gone.Received.Where(r => r.Path == "/inbox").ToList();
        Assert.NotEmpty(attempts);
        Assert.Equal(attempts.Count, attempts.Select(a => a.Activity.GetProperty("id").GetString()).Distinct().Count());

        await author.CreateAsync(Infrastructure.Posts.Valid("After the end", "python"));
        Assert.True(await TestSubscriber.WaitUntilAsync(() => healthy.Received.Count(r => r.Type == "Create") == 2));
        await Task.Delay(500);
        Assert.Equal(attempts.Count, gone.Received.Count(r => r.Path == "/inbox"));
    }

    [Fact]
    public async Task A_410_from_a_followers_own_inbox_ends_that_follow_alone()
    {
        await using var site = await FederatedSite.StartAsync();
        var (peer, server, author) = site;
        peer.Answer = path => Task.FromResult(path == "/users/alice/inbox" ? 410 : 202);

        await peer.FollowAsync(server, "alice", site.Actor());
        await peer.FollowAsync(server, "bob", site.Actor());

        Assert.True(await TestSubscriber.WaitUntilAsync(async () => (await author.FollowersAsync()).FollowerIds("site").Length == 1));
        Assert.Equal([peer.ActorId("bob")], (await author.FollowersAsync()).FollowerIds("site"));
        Assert.True(await TestSubscriber.WaitUntilAsync(() => peer.Received.Any(r => r.Path == "/users/bob/inbox")));
        // Three retries 150 ms apart would have come by now.
        await Task.Delay(1000);
        Assert.Single(peer.Received, r => r.Path == "/users/alice/inbox");
    }
}
