using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Core.Webhooks;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests;

namespace Feeds.Server.Tests.Webhooks;

public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task A_published_post_reaches_subscribers_of_its_tags_and_unfiltered_ones_once_and_verifies_with_the_reference_library()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (_, secretA) = await author.SubscribeAsync(receiver.Url("a"), tags: ["a"]);
        await author.SubscribeAsync(receiver.Url("b"), tags: ["b"]);
        var (_, secretAll) = await author.SubscribeAsync(receiver.Url("all"));

        var post = await author.CreateAsync(Webhooks.Post("Tagged a", "a"));

        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 2));
        await Task.Delay(500);
        Assert.Single(receiver.At("a"));
        Assert.Empty(receiver.At("b"));
        Assert.Single(receiver.At("all"));

        var delivery = receiver.At("a")[0];
        var json = delivery.Json;
        Assert.Equal("post.published", json.GetProperty("type").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(post.GetProperty("id").GetString(), data.GetProperty("id").GetString());
        Assert.Equal(post.GetProperty("url").GetString(), data.GetProperty("url").GetString());
        Assert.Equal("Tagged a", data.GetProperty("title").GetString());
        Assert.Equal(post.GetProperty("permalink").GetString(), data.GetProperty("permalink").GetString());
        Assert.Equal(["a"], data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"{server.Address}everything.atom", data.GetProperty("feeds").GetProperty("everything").GetString());
        Assert.Equal([$"{server.Address}tags/a.atom"], data.GetProperty("feeds").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(data.TryGetProperty("publishedAt", out _) && data.TryGetProperty("updatedAt", out _));
        Assert.True(delivery.Body.Length < 20_000);
        Assert.StartsWith(WebhookMessageId.Prefix, delivery.Id);
        var now = server.Now.ToUnixTimeSeconds();
        Assert.InRange(delivery.Timestamp, now - 30, now + 1);

        Assert.True(delivery.VerifiesWith(secretA));
        Assert.True(receiver.At("all")[0].VerifiesWith(secretAll));
        await ReferenceVerifier.AssertVerifiesAsync(delivery, secretA);
        await ReferenceVerifier.AssertVerifiesAsync(receiver.At("all")[0], secretAll);
    }

    [Fact]
    public async Task A_fan_out_reaches_every_endpoint_exactly_once()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:GlobalConcurrency"] = "16"));
        var author = server.CreateAuthorizedClient();
        for (var i = 0; i < 100; i++)
        {
            await author.SubscribeAsync(receiver.Url($"e{i}"));
        }

        await author.CreateAsync(Webhooks.Post("Everyone"));
        await author.CreateAsync(Webhooks.Post("Everyone again"));

        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 200));
        await Task.Delay(500);
        Assert.Equal(200, receiver.Received.Count);
        Assert.Equal(200, receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.True(receiver.MaxInFlight <= 16, $"{receiver.MaxInFlight} requests at once");
    }

    [Fact]
    public async Task Updating_and_deleting_a_published_post_send_updated_and_deleted_and_drafts_send_nothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(receiver.Url("all"));

        await author.CreateAsync(new { url = "https://example.com/draft", title = "Draft", status = "draft" });
        var post = await author.CreateAsync(Webhooks.Post("Live", "x"));
        var id = post.GetProperty("id").GetString();
        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 1));
        (await author.PutAsJsonAsync($"/api/posts/{id}", new { url = post.GetProperty("url").GetString(), title = "Live, edited", tags = new[] { "x" } })).EnsureSuccessStatusCode();
        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 2));
        (await author.DeleteAsync($"/api/posts/{id}")).EnsureSuccessStatusCode();
        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 3));

        var unpublished = await author.CreateAsync(Webhooks.Post("Back to draft"));
        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 4));
        (await author.PutAsJsonAsync($"/api/posts/{unpublished.GetProperty("id").GetString()}", new { url = "https://example.com/d", title = "Back to draft", status = "draft" })).EnsureSuccessStatusCode();
        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 5));
        await Task.Delay(300);

        Assert.Equal(
            ["post.published", "post.updated", "post.deleted", "post.published", "post.deleted"],
            receiver.Received.Select(r => r.Type));
        Assert.Equal("Live, edited", receiver.Received[1].Json.GetProperty("data").GetProperty("title").GetString());
        Assert.Equal(5, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_scheduled_post_going_live_sends_post_published()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(receiver.Url("all"), events: ["post.published"]);

        await author.CreateAsync(new { url = "https://example.com/later", title = "Later", publishAt = server.Now.AddSeconds(1) });

        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10)));
        Assert.Equal("post.published", receiver.Received[0].Type);
        Assert.Equal("Later", receiver.Received[0].Json.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_receiver_failing_twice_then_succeeding_gets_the_same_webhook_id_three_times()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, count) => count < 2 ? new Answer(500) : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (endpointId, secret) = await author.SubscribeAsync(receiver.Url("flaky"));

        await author.CreateAsync(Webhooks.Post("Retried"));

        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 3));
        await Task.Delay(400);
        var received = receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret)));
        Assert.All(received, r => Assert.Equal(received[0].Body, r.Body));

        var messages = await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{endpointId}/messages?status=delivered"),
            m => m.GetProperty("items").GetArrayLength() == 1);
        var message = messages.GetProperty("items")[0];
        Assert.Equal(received[0].Id, message.GetProperty("id").GetString());
        Assert.Equal(3, message.GetProperty("attempts").GetInt32());

        var attempts = (await author.GetJsonAsync($"/api/webhooks/{endpointId}/attempts")).GetProperty("items");
        Assert.Equal(3, attempts.GetArrayLength());
        Assert.Equal([null, "http_status", "http_status"], attempts.EnumerateArray().Select(a => a.GetProperty("errorClass").GetString()));
        Assert.Equal([200, 500, 500], attempts.EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Contains("answered 500", attempts[1].GetProperty("responseExcerpt").GetString());
    }

    [Fact]
    public async Task A_message_that_fails_every_attempt_ends_failed_after_the_schedule()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => new Answer(503);
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (endpointId, _) = await author.SubscribeAsync(receiver.Url("down"));

        await author.CreateAsync(Webhooks.Post("Never arrives"));

        var failed = await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{endpointId}/messages?status=failed"),
            m => m.GetProperty("items").GetArrayLength() == 1);
        Assert.Equal(1, failed.GetProperty("items").GetArrayLength());
        Assert.Equal(4, receiver.Received.Count);
        Assert.Equal(0, (await author.GetJsonAsync($"/api/webhooks/{endpointId}/messages?status=pending")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Retry_after_on_503_is_honoured()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, count) => count == 0
            ? new Answer(503, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" })
            : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(receiver.Url("busy"));

        await author.CreateAsync(Webhooks.Post("Later please"));

        Assert.True(await receiver.WaitUntilAsync(r => r.Count >= 2, TimeSpan.FromSeconds(10)));
        var gap = Stopwatch.GetElapsedTime(receiver.Received[0].ReceivedAt, receiver.Received[1].ReceivedAt);
        // The schedule alone would retry after about 150 ms.
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_enabling_it_again_delivers_the_backlog_under_the_same_ids()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var gone = true;
        receiver.Respond = (_, _) => Volatile.Read(ref gone) ? new Answer(410) : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (endpointId, _) = await author.SubscribeAsync(receiver.Url("gone"));

        await author.CreateAsync(Webhooks.Post("First"));
        var endpoint = await Webhooks.EventuallyAsync(() => author.GetJsonAsync($"/api/webhooks/{endpointId}"), e => !e.GetProperty("enabled").GetBoolean());
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", endpoint.GetProperty("disabledReason").GetString());

        await author.CreateAsync(Webhooks.Post("Second, while disabled"));
        await Task.Delay(500);
        Assert.Single(receiver.Received);
        Assert.Equal(2, (await author.GetJsonAsync($"/api/webhooks/{endpointId}/messages?status=pending")).GetProperty("items").GetArrayLength());

        Volatile.Write(ref gone, false);
        var enabled = await author.PatchAsJsonAsync($"/api/webhooks/{endpointId}", new { enabled = true });
        enabled.EnsureSuccessStatusCode();

        Assert.True(await receiver.WaitUntilAsync(r => r.Count(x => x.AnsweredWith == 200) >= 2));
        var delivered = receiver.Received.Where(r => r.AnsweredWith == 200).ToList();
        Assert.Equal(["First", "Second, while disabled"], delivered.Select(d => d.Json.GetProperty("data").GetProperty("title").GetString()).Order());
        Assert.Contains(receiver.Received[0].Id, delivered.Select(d => d.Id));
    }

    [Fact]
    public async Task An_endpoint_failing_every_attempt_for_the_configured_time_is_disabled()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => new Answer(500);
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s =>
        {
            s["Feeds:Webhooks:RetrySchedule"] = "0s, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms";
            s["Feeds:Webhooks:DisableAfterFailingFor"] = "00:00:00.800";
        }));
        var author = server.CreateAuthorizedClient();
        var (endpointId, _) = await author.SubscribeAsync(receiver.Url("dead"));

        await author.CreateAsync(Webhooks.Post("Into the void"));

        var endpoint = await Webhooks.EventuallyAsync(() => author.GetJsonAsync($"/api/webhooks/{endpointId}"), e => !e.GetProperty("enabled").GetBoolean());
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Contains("every attempt failed", endpoint.GetProperty("disabledReason").GetString());
        Assert.InRange(receiver.Received.Count, 4, 9);
    }

    [Fact]
    public async Task A_hanging_receiver_does_not_delay_a_healthy_one()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (path, _) => path == "hang" ? Answer.Hangs : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:Timeout"] = "00:00:05"));
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(receiver.Url("hang"));
        await author.SubscribeAsync(receiver.Url("healthy"));

        // Fill the hanging endpoint's slots first, so the healthy one competes with a backlog that is stuck.
        for (var i = 0; i < 6; i++)
        {
            await author.CreateAsync(Webhooks.Post($"Warm-up {i}"));
        }

        Assert.True(await receiver.WaitUntilAsync(r => r.Count(x => x.Path == "/healthy") == 6));
        var started = Stopwatch.GetTimestamp();
        await author.CreateAsync(Webhooks.Post("Measured"));
        Assert.True(await receiver.WaitUntilAsync(r => r.Count(x => x.Path == "/healthy") == 7, TimeSpan.FromSeconds(3)));
        var latency = Stopwatch.GetElapsedTime(started, receiver.At("healthy")[^1].ReceivedAt);

        // The hanging endpoint holds its requests for the 5 s timeout; the healthy one must not wait for that.
        Assert.True(latency < TimeSpan.FromMilliseconds(1000), $"healthy delivery took {latency.TotalMilliseconds} ms");
        Assert.InRange(receiver.At("hang").Count, 1, 4);
    }

    [Fact]
    public async Task No_endpoint_gets_more_concurrent_requests_than_its_limit()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => new Answer(200, Delay: TimeSpan.FromMilliseconds(300));
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:ConcurrencyPerEndpoint"] = "2"));
        var author = server.CreateAuthorizedClient();
        await author.SubscribeAsync(receiver.Url("slow"));

        for (var i = 0; i < 6; i++)
        {
            await author.CreateAsync(Webhooks.Post($"Burst {i}"));
        }

        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 6, TimeSpan.FromSeconds(10)));
        Assert.Equal(2, receiver.MaxInFlight);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (path, _) => path == "moved"
            ? new Answer(302, Headers: new Dictionary<string, string> { ["Location"] = receiver.Url("target") })
            : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings());
        var author = server.CreateAuthorizedClient();
        var (endpointId, _) = await author.SubscribeAsync(receiver.Url("moved"));

        var ping = await (await author.PostAsync($"/api/webhooks/{endpointId}/ping", null)).ReadJsonAsync();

        Assert.False(ping.GetProperty("delivered").GetBoolean());
        Assert.Equal(302, ping.GetProperty("attempt").GetProperty("statusCode").GetInt32());
        Assert.Contains("redirects are not followed", ping.GetProperty("attempt").GetProperty("error").GetString());
        Assert.Empty(receiver.At("target"));
    }

    [Fact]
    public async Task Every_attempt_is_logged_with_its_error_class()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (path, _) => path == "slow" ? new Answer(200, Delay: TimeSpan.FromSeconds(10)) : Answer.Ok;
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s =>
        {
            s["Feeds:Webhooks:Timeout"] = "00:00:00.500";
            s["Feeds:Webhooks:ConnectTimeout"] = "00:00:00.500";
        }));
        var author = server.CreateAuthorizedClient();
        var (slow, _) = await author.SubscribeAsync(receiver.Url("slow"));
        // A loopback port nobody listens on: refused at once.
        var closedPort = TestPorts.Free();
        var (closed, _) = await author.SubscribeAsync($"http://127.0.0.1:{closedPort}/hook");

        var slowPing = await (await author.PostAsync($"/api/webhooks/{slow}/ping", null)).ReadJsonAsync();
        var closedPing = await (await author.PostAsync($"/api/webhooks/{closed}/ping", null)).ReadJsonAsync();

        Assert.Equal("timeout", slowPing.GetProperty("attempt").GetProperty("errorClass").GetString());
        Assert.Equal("connect", closedPing.GetProperty("attempt").GetProperty("errorClass").GetString());
        var logged = (await author.GetJsonAsync($"/api/webhooks/{closed}/attempts")).GetProperty("items");
        Assert.Equal("connect", logged[0].GetProperty("errorClass").GetString());
        Assert.True(logged[0].GetProperty("durationMs").GetInt32() >= 0);
    }
}

/// <summary>Checks deliveries with the Standard Webhooks reference library (npm standardwebhooks) through shared/tools.</summary>
public static class ReferenceVerifier
{
    public static async Task AssertVerifiesAsync(ReceivedWebhook delivery, string secret)
    {
        var script = ExternalTools.Require("verify-webhook.mjs", "node");
        var directory = Directory.CreateTempSubdirectory("feeds-webhook-");
        try
        {
            var headers = Path.Combine(directory.FullName, "headers.txt");
            var body = Path.Combine(directory.FullName, "body.json");
            await File.WriteAllTextAsync(
                headers,
                $"{WebhookSignature.IdHeader}: {delivery.Id}\n{WebhookSignature.TimestampHeader}: {delivery.Timestamp}\n{WebhookSignature.SignatureHeader}: {delivery.Signature}\n");
            await File.WriteAllBytesAsync(body, delivery.Body);
            var (exit, stdout, stderr) = await ExternalTools.RunAsync(
                "node", [script, "--secret", secret, "--headers", headers, "--body", body, "--now", delivery.Timestamp.ToString()]);
            Assert.True(exit == 0, $"reference library refused the delivery (exit {exit}): {stdout}{stderr}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
