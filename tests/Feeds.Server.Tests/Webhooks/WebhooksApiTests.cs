using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Webhooks;

public sealed class WebhooksApiTests
{
    /// <summary>A replay range's start where only its validation is tested; a range that selects messages is read from the server's clock.</summary>
    private static readonly DateTimeOffset Since = new(2025, 3, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_secret_is_shown_once_at_creation_and_never_listed()
    {
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();

        var (id, secret) = await author.SubscribeAsync("http://127.0.0.1:9/hook", tags: ["Python", "AI"]);

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var endpoint = await author.GetJsonAsync($"/api/webhooks/{id}");
        Assert.False(endpoint.TryGetProperty("secret", out _));
        Assert.Equal(["ai", "python"], endpoint.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal(["post.published", "post.updated", "post.deleted"], endpoint.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(endpoint.GetProperty("enabled").GetBoolean());
        var list = await author.GetJsonAsync("/api/webhooks");
        Assert.DoesNotContain(secret["whsec_".Length..], list.GetRawText());
    }

    [Fact]
    public async Task Every_route_needs_a_token()
    {
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var anonymous = server.CreateClient();
        var id = Guid.NewGuid();

        await (await anonymous.GetAsync("/api/webhooks")).AssertProblemAsync(401);
        await (await anonymous.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/" })).AssertProblemAsync(401);
        await (await anonymous.GetAsync($"/api/webhooks/{id}")).AssertProblemAsync(401);
        await (await anonymous.PatchAsJsonAsync($"/api/webhooks/{id}", new { enabled = false })).AssertProblemAsync(401);
        await (await anonymous.DeleteAsync($"/api/webhooks/{id}")).AssertProblemAsync(401);
        await (await anonymous.PostAsync($"/api/webhooks/{id}/rotate-secret", null)).AssertProblemAsync(401);
        await (await anonymous.PostAsync($"/api/webhooks/{id}/ping", null)).AssertProblemAsync(401);
        await (await anonymous.GetAsync($"/api/webhooks/{id}/messages")).AssertProblemAsync(401);
        await (await anonymous.GetAsync($"/api/webhooks/{id}/attempts")).AssertProblemAsync(401);
        await (await anonymous.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { since = Since })).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Validation_problems_name_the_fields()
    {
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();

        var problem = await (await author.PostAsJsonAsync("/api/webhooks", new { url = "ftp://127.0.0.1/", events = new[] { "post.published", "post.exploded" }, tags = new[] { "ok", "!!!" } }))
            .AssertProblemAsync(400);
        Assert.Equal(["events[1]", "tags[1]", "url"], problem.ErrorFields());

        var missing = await (await author.PostAsJsonAsync("/api/webhooks", new { events = Array.Empty<string>() })).AssertProblemAsync(400);
        Assert.Equal(["events", "url"], missing.ErrorFields());

        var unknown = await (await author.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/", secret = "whsec_mine" })).AssertProblemAsync(400);
        Assert.Equal(["secret"], unknown.ErrorFields());

        var (id, _) = await author.SubscribeAsync("http://127.0.0.1:9/");
        var patch = await (await author.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = "not a url" })).AssertProblemAsync(400);
        Assert.Equal(["url"], patch.ErrorFields());

        var listing = await (await author.GetAsync($"/api/webhooks/{id}/messages?status=lost&limit=0")).AssertProblemAsync(400);
        Assert.Equal(["limit", "status"], listing.ErrorFields());

        var replay = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { status = "lost" })).AssertProblemAsync(400);
        Assert.Equal(["since", "status"], replay.ErrorFields());
        var both = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { messageId = "msg_x", since = Since })).AssertProblemAsync(400);
        Assert.Equal(["messageId"], both.ErrorFields());
        var backwards = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { since = Since, until = Since.AddHours(-1) })).AssertProblemAsync(400);
        Assert.Equal(["until"], backwards.ErrorFields());
    }

    [Fact]
    public async Task Unknown_endpoints_and_messages_are_404()
    {
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var missing = Guid.NewGuid();

        await (await author.GetAsync($"/api/webhooks/{missing}")).AssertProblemAsync(404);
        await (await author.DeleteAsync($"/api/webhooks/{missing}")).AssertProblemAsync(404);
        await (await author.PostAsync($"/api/webhooks/{missing}/ping", null)).AssertProblemAsync(404);
        await (await author.PostAsync($"/api/webhooks/{missing}/rotate-secret", null)).AssertProblemAsync(404);
        var (id, _) = await author.SubscribeAsync("http://127.0.0.1:9/");
        await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { messageId = "msg_00000000000000000000000000" })).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Patch_changes_the_subscription_and_delete_removes_the_endpoint()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (id, _) = await author.SubscribeAsync(receiver.Url("old"), tags: ["a"]);

        var patched = await (await author.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = receiver.Url("new"), tags = Array.Empty<string>(), events = new[] { "post.published" } })).ReadJsonAsync();
        Assert.Equal(receiver.Url("new"), patched.GetProperty("url").GetString());
        Assert.Equal(0, patched.GetProperty("tags").GetArrayLength());
        await author.CreateAsync(Webhooks.Post("Untagged"));
        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 1));
        Assert.Single(receiver.At("new"));

        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        await (await author.GetAsync($"/api/webhooks/{id}")).AssertProblemAsync(404);
        await author.CreateAsync(Webhooks.Post("After delete"));
        await Task.Delay(300);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Ping_is_delivered_at_once_and_reports_the_result()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (path, _) => path == "broken" ? new Answer(500) : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (id, secret) = await author.SubscribeAsync(receiver.Url("ok"));
        var (broken, _) = await author.SubscribeAsync(receiver.Url("broken"));

        var ping = await (await author.PostAsync($"/api/webhooks/{id}/ping", null)).ReadJsonAsync();

        Assert.True(ping.GetProperty("delivered").GetBoolean());
        Assert.Equal(200, ping.GetProperty("attempt").GetProperty("statusCode").GetInt32());
        var received = Assert.Single(receiver.At("ok"));
        Assert.Equal("webhook.ping", received.Type);
        Assert.Equal(ping.GetProperty("messageId").GetString(), received.Id);
        Assert.True(received.VerifiesWith(secret));
        await ReferenceVerifier.AssertVerifiesAsync(received, secret);

        var failed = await (await author.PostAsync($"/api/webhooks/{broken}/ping", null)).ReadJsonAsync();
        Assert.False(failed.GetProperty("delivered").GetBoolean());
        Assert.Equal("http_status", failed.GetProperty("attempt").GetProperty("errorClass").GetString());
        await Task.Delay(400);
        Assert.Single(receiver.At("broken"));
        var messages = await author.GetJsonAsync($"/api/webhooks/{broken}/messages?status=failed");
        Assert.Equal(failed.GetProperty("messageId").GetString(), messages.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task After_rotation_both_secrets_sign_until_the_overlap_ends()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:SecretRotationOverlap"] = "00:00:02"));
        var author = server.CreateAuthorizedClient();
        var (id, oldSecret) = await author.SubscribeAsync(receiver.Url("r"));

        var rotated = await (await author.PostAsync($"/api/webhooks/{id}/rotate-secret", null)).ReadJsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset() > server.Now);

        await author.PostAsync($"/api/webhooks/{id}/ping", null);
        var during = receiver.Received[^1];
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(during.VerifiesWith(oldSecret));
        Assert.True(during.VerifiesWith(newSecret));
        await ReferenceVerifier.AssertVerifiesAsync(during, oldSecret);
        await ReferenceVerifier.AssertVerifiesAsync(during, newSecret);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await author.PostAsync($"/api/webhooks/{id}/ping", null);
        var after = receiver.Received[^1];
        Assert.Single(after.Signature.Split(' '));
        Assert.False(after.VerifiesWith(oldSecret));
        Assert.True(after.VerifiesWith(newSecret));
    }

    [Fact]
    public async Task Replay_sends_a_message_again_under_its_original_id_and_ranges_pick_by_time_and_status()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (id, secret) = await author.SubscribeAsync(receiver.Url("r"));
        var before = server.Now.AddSeconds(-1);
        await author.CreateAsync(Webhooks.Post("One"));
        await author.CreateAsync(Webhooks.Post("Two"));
        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 2));
        var first = receiver.Received.Single(r => r.Json.GetProperty("data").GetProperty("title").GetString() == "One");
        await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{id}/messages?status=delivered"), m => m.GetProperty("items").GetArrayLength() == 2);

        var one = await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { messageId = first.Id });
        Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
        Assert.Equal(1, (await one.ReadJsonAsync()).GetProperty("replayed").GetInt32());
        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 3));
        var replayed = receiver.Received[2];
        Assert.Equal(first.Id, replayed.Id);
        Assert.Equal(first.Body, replayed.Body);
        Assert.True(replayed.VerifiesWith(secret));

        await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{id}/messages?status=delivered"), m => m.GetProperty("items").GetArrayLength() == 2);
        var none = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { since = before, status = "failed" })).ReadJsonAsync();
        Assert.Equal(0, none.GetProperty("replayed").GetInt32());
        var future = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { since = server.Now.AddMinutes(1) })).ReadJsonAsync();
        Assert.Equal(0, future.GetProperty("replayed").GetInt32());
        var range = await (await author.PostAsJsonAsync($"/api/webhooks/{id}/replay", new { since = before, until = server.Now.AddSeconds(1), status = "delivered" })).ReadJsonAsync();
        Assert.Equal(2, range.GetProperty("replayed").GetInt32());
        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 5));
        Assert.Equal(2, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task Messages_and_attempts_can_be_listed_by_status_and_paged()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (path, _) => path == "down" ? new Answer(500) : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:RetrySchedule"] = "0s, 1h"));
        var author = server.CreateAuthorizedClient();
        var (id, _) = await author.SubscribeAsync(receiver.Url("r"));
        for (var i = 0; i < 3; i++)
        {
            await author.CreateAsync(Webhooks.Post($"Post {i}"));
        }

        var delivered = await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{id}/messages?status=delivered"), m => m.GetProperty("items").GetArrayLength() == 3);
        Assert.Equal(3, delivered.GetProperty("items").GetArrayLength());
        var item = delivered.GetProperty("items")[0];
        Assert.Equal("post.published", item.GetProperty("type").GetString());
        Assert.Equal("Post 2", item.GetProperty("payload").GetProperty("data").GetProperty("title").GetString());
        Assert.Equal(0, (await author.GetJsonAsync($"/api/webhooks/{id}/messages?status=pending")).GetProperty("items").GetArrayLength());

        var page1 = await author.GetJsonAsync($"/api/webhooks/{id}/messages?limit=2");
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        var page2 = await author.GetJsonAsync($"/api/webhooks/{id}/messages?limit=2&before={page1.GetProperty("next").GetString()}");
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());

        var attempts = await author.GetJsonAsync($"/api/webhooks/{id}/attempts?messageId={item.GetProperty("id").GetString()}");
        var attempt = Assert.Single(attempts.GetProperty("items").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());

        // A failure with its retry an hour away stays pending.
        await author.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = receiver.Url("down") });
        await author.CreateAsync(Webhooks.Post("Stuck"));
        var pending = await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{id}/messages?status=pending"),
            m => m.GetProperty("items").GetArrayLength() == 1 && m.GetProperty("items")[0].GetProperty("attempts").GetInt32() == 1);
        Assert.True(pending.GetProperty("items")[0].GetProperty("nextAttemptAt").GetDateTimeOffset() > server.Now.AddMinutes(30));
    }
}
