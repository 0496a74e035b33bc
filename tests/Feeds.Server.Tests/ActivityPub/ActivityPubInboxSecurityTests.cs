using System.Text;
using System.Text.Json.Nodes;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>Hostile requests to the inbox: each refused with the right 4xx, nothing stored.</summary>
public sealed class ActivityPubInboxSecurityTests(ActivityPubInboxSecurityTests.Site site)
    : IClassFixture<ActivityPubInboxSecurityTests.Site>, IAsyncLifetime
{
    public sealed class Site : ServerFixture
    {
        protected override IDictionary<string, string?>? Settings => Fediverse.Settings();
    }

    private MastodonPeer _peer = null!;

    public async ValueTask InitializeAsync()
    {
        PythonHttpsig.Require();
        _peer = await MastodonPeer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    private string Inbox => new Uri(site.Server.Address, "/ap/inbox").ToString();

    private string SiteActor => new Uri(site.Server.Address, "/ap/actor").ToString();

    private async Task AssertNothingStoredAsync() =>
        Assert.DoesNotContain((await site.Author.FollowersAsync()).FollowerIds("site"), id => id.StartsWith(_peer.BaseUrl, StringComparison.Ordinal));

    [Fact]
    public async Task An_unsigned_request_is_401()
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(Inbox, new StringContent(_peer.Follow("alice", SiteActor).ToJsonString(), Encoding.UTF8, "application/activity+json"));

        await response.AssertProblemAsync(401);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_signature_made_with_another_key_is_401()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using var response = await _peer.PostSignedAsync(Inbox, "alice", _peer.Follow("alice", SiteActor), privateKeyPem: other.ExportPkcs8PrivateKeyPem());

        await response.AssertProblemAsync(401);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_body_changed_after_signing_fails_its_digest_with_401()
    {
        using var response = await _peer.PostSignedAsync(Inbox, "alice", _peer.Follow("alice", SiteActor), tamper: request =>
            request.Content = new StringContent(_peer.Follow("mallory", SiteActor).ToJsonString(), Encoding.UTF8, "application/activity+json"));

        await response.AssertProblemAsync(401);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_replay_dated_outside_the_window_is_401()
    {
        var siteNow = await _peer.SiteDateAsync(site.Server.Address);
        using var response = await _peer.PostSignedAsync(Inbox, "alice", _peer.Follow("alice", SiteActor), date: siteNow.AddHours(-13));

        await response.AssertProblemAsync(401);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_activity_whose_actor_is_not_the_signer_is_401()
    {
        var follow = _peer.Follow("alice", SiteActor);
        follow["actor"] = _peer.ActorId("bob");
        using var response = await _peer.PostSignedAsync(Inbox, "alice", follow);

        await response.AssertProblemAsync(401);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_Follow_of_an_actor_this_site_does_not_have_is_404()
    {
        using var response = await _peer.PostSignedAsync(Inbox, "alice", _peer.Follow("alice", new Uri(site.Server.Address, "/ap/tags/nothing-here").ToString()));

        await response.AssertProblemAsync(404);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_body_of_one_mebibyte_is_413()
    {
        var follow = _peer.Follow("alice", SiteActor);
        follow["padding"] = new string('x', 1024 * 1024);
        using var response = await _peer.PostSignedAsync(Inbox, "alice", follow);

        await response.AssertProblemAsync(413);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("""{"type": 7, "actor": "{actor}"}""")]
    [InlineData("""{"@context": {"@vocab": "x"}, "actor": "{actor}"}""")]
    [InlineData("""not json at all""")]
    public async Task JSON_of_unexpected_shapes_is_400(string body)
    {
        var text = body.Replace("{actor}", _peer.ActorId("alice"), StringComparison.Ordinal);
        using var response = await _peer.PostSignedTextAsync(Inbox, "alice", text);

        await response.AssertProblemAsync(400);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_Follow_with_an_object_of_another_shape_is_404_and_stores_nothing()
    {
        var follow = _peer.Follow("alice", SiteActor);
        follow["object"] = new JsonArray(SiteActor, SiteActor);
        using var response = await _peer.PostSignedAsync(Inbox, "alice", follow);

        await response.AssertProblemAsync(404);
        await AssertNothingStoredAsync();
    }
}
