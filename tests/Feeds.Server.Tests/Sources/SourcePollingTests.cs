using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

/// <summary>How the poller behaves towards upstream servers: conditional requests, redirects, refusals and backoff.</summary>
public sealed class SourcePollingTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    private async Task<JsonElement> FollowAsync(string path, object? extra = null, int items = 2)
    {
        _upstream.Feed(path, TestFeeds.Rss(path, $"https://{path}.example/", TestFeeds.Recent(path, items, fixture.Server.Now)));
        return await _author.FollowAsync(extra is null
            ? new { url = _upstream.Url(path), backfill = true, intervalMinutes = 1 }
            : Merge(new { url = _upstream.Url(path), backfill = true }, extra));
    }

    [Fact]
    public async Task The_second_poll_sends_the_validators_and_a_304_creates_nothing()
    {
        var source = await FollowAsync("conditional");
        Assert.Equal(2, (await _author.PostsOfAsync(source.Id())).Count);

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("not-modified", refresh.GetProperty("status").GetString());
        Assert.Equal(304, refresh.GetProperty("httpStatus").GetInt32());
        Assert.Equal(0, refresh.GetProperty("newPosts").GetInt32());
        Assert.Equal(JsonValueKind.Null, refresh.GetProperty("error").ValueKind);
        Assert.Equal(304, refresh.GetProperty("source").Fetch().GetProperty("lastStatus").GetInt32());
        var requests = _upstream.RequestsTo("conditional");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].IfNoneMatch);
        Assert.NotNull(requests[1].IfNoneMatch);
        Assert.Equal(Upstream.LastModified.ToString("R"), requests[1].IfModifiedSince);
        Assert.Equal(304, requests[1].AnsweredWith);
        Assert.Equal(2, (await _author.PostsOfAsync(source.Id())).Count);
    }

    [Fact]
    public async Task An_unchanged_body_without_validators_counts_as_not_modified()
    {
        _upstream.Feed("plain", TestFeeds.Rss("plain", "https://plain.example/", TestFeeds.Recent("plain", 2, fixture.Server.Now)), validators: false);
        var source = await _author.FollowAsync(new { url = _upstream.Url("plain"), backfill = true });

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("not-modified", refresh.GetProperty("status").GetString());
        Assert.Equal(200, refresh.GetProperty("httpStatus").GetInt32());
        Assert.Null(_upstream.RequestsTo("plain")[1].IfNoneMatch);
        Assert.Equal(2, (await _author.PostsOfAsync(source.Id())).Count);
    }

    [Fact]
    public async Task Requests_name_the_service_and_accept_gzip_and_brotli_and_compressed_feeds_are_read()
    {
        var body = Encoding.UTF8.GetBytes(TestFeeds.Rss("gzipped", "https://gzipped.example/", TestFeeds.Recent("gzipped", 3, fixture.Server.Now)));
        _upstream.Route("gzipped", async context =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(body);
            }

            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });

        var source = await _author.FollowAsync(new { url = _upstream.Url("gzipped"), backfill = true });

        Assert.Equal(3, (await _author.PostsOfAsync(source.Id())).Count);
        var request = _upstream.RequestsTo("gzipped").Single();
        Assert.Contains("gzip", request.AcceptEncoding);
        Assert.Contains("br", request.AcceptEncoding);
        Assert.StartsWith("Feeds/", request.UserAgent);
        Assert.Contains(fixture.Server.Address.ToString().TrimEnd('/'), request.UserAgent);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(308)]
    public async Task A_permanent_redirect_moves_the_stored_url(int status)
    {
        var source = await FollowAsync($"perm-{status}-old");
        var target = $"perm-{status}-new";
        _upstream.Feed(target, TestFeeds.Rss(target, "https://moved.example/", TestFeeds.Recent($"perm-{status}-old", 2, fixture.Server.Now)));
        _upstream.Redirect($"perm-{status}-old", status, _upstream.Url(target));

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("ok", refresh.GetProperty("status").GetString());
        Assert.Equal(_upstream.Url(target), refresh.GetProperty("source").GetProperty("url").GetString());
        Assert.Equal(0, refresh.GetProperty("newPosts").GetInt32());
        await _author.RefreshAsync(source.Id());
        Assert.Single(_upstream.RequestsTo($"perm-{status}-old"), r => r.AnsweredWith == status);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_temporary_redirect_is_followed_but_the_url_stays(int status)
    {
        var old = $"temp-{status}-old";
        var source = await FollowAsync(old);
        var target = $"temp-{status}-new";
        _upstream.Feed(target, TestFeeds.Rss(target, "https://moved.example/", TestFeeds.Recent(old, 3, fixture.Server.Now)));
        _upstream.Redirect(old, status, "/" + target);

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("ok", refresh.GetProperty("status").GetString());
        Assert.Equal(1, refresh.GetProperty("newPosts").GetInt32());
        Assert.Equal(_upstream.Url(old), refresh.GetProperty("source").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_source_found_through_a_permanent_redirect_is_stored_at_its_target()
    {
        _upstream.Feed("created-new", TestFeeds.Rss("created", "https://created.example/", TestFeeds.Recent("created", 1, fixture.Server.Now)));
        _upstream.Redirect("created-old", 301, _upstream.Url("created-new"));

        var source = await _author.FollowAsync(new { url = _upstream.Url("created-old") });

        Assert.Equal(_upstream.Url("created-new"), source.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_redirect_to_a_cloud_metadata_address_is_refused_at_connect_time()
    {
        var source = await FollowAsync("to-metadata");
        _upstream.Redirect("to-metadata", 302, "http://169.254.169.254/latest/meta-data/");

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("error", refresh.GetProperty("status").GetString());
        Assert.Contains("metadata", refresh.GetProperty("error").GetString());
        Assert.Equal(_upstream.Url("to-metadata"), refresh.GetProperty("source").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_redirect_to_a_refused_port_is_refused_at_connect_time()
    {
        var source = await FollowAsync("to-ssh");
        _upstream.Redirect("to-ssh", 302, "http://127.0.0.1:22/feed.xml");

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("error", refresh.GetProperty("status").GetString());
        Assert.Equal(
            "The request to 127.0.0.1 was refused: Port 22 is not one requests may be sent to on this server (allowed: 80, 443, 1024-65535).",
            refresh.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_page_advertising_a_feed_on_a_metadata_address_is_refused()
    {
        _upstream.Page("advertises-metadata/", TestFeeds.Html("Sneaky", "http://169.254.169.254/feed.xml"));

        var problem = await (await _author.PostAsJsonAsync("/api/sources", new { url = _upstream.Url("advertises-metadata/") })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Contains("metadata", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task Gone_stops_polling_and_says_so_until_refreshed_by_hand()
    {
        var source = await FollowAsync("gone");
        _upstream.Status("gone", 410);

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("gone", refresh.GetProperty("status").GetString());
        Assert.Equal(410, refresh.GetProperty("httpStatus").GetInt32());
        var fetch = refresh.GetProperty("source").Fetch();
        Assert.True(fetch.GetProperty("stopped").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fetch.GetProperty("nextCheckAt").ValueKind);
        Assert.Contains("410", fetch.GetProperty("lastError").GetString());
        Assert.Contains("stopped", fetch.GetProperty("lastError").GetString());

        var requests = _upstream.RequestsTo("gone").Count;
        await fixture.Server.Poller().PollDueAsync(fixture.Server.Now.AddDays(30), TestContext.Current.CancellationToken);
        Assert.Equal(requests, _upstream.RequestsTo("gone").Count);

        _upstream.Feed("gone", TestFeeds.Rss("gone", "https://gone.example/", TestFeeds.Recent("gone", 2, fixture.Server.Now)));
        var resumed = await _author.RefreshAsync(source.Id());
        Assert.False(resumed.GetProperty("source").Fetch().GetProperty("stopped").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, resumed.GetProperty("source").Fetch().GetProperty("nextCheckAt").ValueKind);
    }

    [Fact]
    public async Task Too_many_requests_with_retry_after_in_seconds_waits_at_least_that_long()
    {
        var source = await FollowAsync("busy", new { intervalMinutes = 1 });
        _upstream.Status("busy", 429, ("Retry-After", "120"));

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal("error", refresh.GetProperty("status").GetString());
        Assert.Equal(429, refresh.GetProperty("httpStatus").GetInt32());
        Assert.InRange(refresh.GetProperty("source").Wait(), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(133));
        Assert.Contains("120 s", refresh.GetProperty("error").GetString());
        Assert.Equal("Retry-After", refresh.GetProperty("source").Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task Service_unavailable_with_retry_after_as_a_date_waits_until_then()
    {
        var source = await FollowAsync("maintenance", new { intervalMinutes = 1 });
        _upstream.Status("maintenance", 503, ("Retry-After", fixture.Server.Now.AddMinutes(10).ToString("R")));

        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal(503, refresh.GetProperty("httpStatus").GetInt32());
        Assert.InRange(refresh.GetProperty("source").Wait(), TimeSpan.FromMinutes(9.9), TimeSpan.FromMinutes(11.1));
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_a_success_resets_the_interval()
    {
        var source = await FollowAsync("flaky", new { intervalMinutes = 1 });
        _upstream.Status("flaky", 500);

        var waits = new List<TimeSpan>();
        for (var i = 1; i <= 3; i++)
        {
            var failed = (await _author.RefreshAsync(source.Id())).GetProperty("source");
            Assert.Equal(i, failed.Fetch().GetProperty("errorCount").GetInt32());
            Assert.Contains("HTTP 500", failed.Fetch().GetProperty("lastError").GetString());
            waits.Add(failed.Wait());
        }

        Assert.InRange(waits[0], TimeSpan.FromMinutes(1.8), TimeSpan.FromMinutes(2.2));
        Assert.InRange(waits[1], TimeSpan.FromMinutes(3.6), TimeSpan.FromMinutes(4.4));
        Assert.InRange(waits[2], TimeSpan.FromMinutes(7.2), TimeSpan.FromMinutes(8.8));

        _upstream.Feed("flaky", TestFeeds.Rss("flaky", "https://flaky.example/", TestFeeds.Recent("flaky", 2, fixture.Server.Now)));
        var recovered = (await _author.RefreshAsync(source.Id())).GetProperty("source");
        Assert.Equal(0, recovered.Fetch().GetProperty("errorCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, recovered.Fetch().GetProperty("lastError").ValueKind);
        Assert.InRange(recovered.Wait(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1.11));
    }

    [Fact]
    public async Task A_feed_asking_for_a_longer_ttl_is_polled_less_often_unless_the_author_chose_an_interval()
    {
        _upstream.Feed("ttl", TestFeeds.Rss("ttl", "https://ttl.example/", TestFeeds.Recent("ttl", 2, fixture.Server.Now), ttl: 180));
        _upstream.Feed("ttl-chosen", TestFeeds.Rss("ttl", "https://ttl.example/", TestFeeds.Recent("ttl", 2, fixture.Server.Now), ttl: 180));

        var adapting = await _author.FollowAsync(new { url = _upstream.Url("ttl") });
        var chosen = await _author.FollowAsync(new { url = _upstream.Url("ttl-chosen"), intervalMinutes = 30 });

        Assert.InRange(adapting.Wait(), TimeSpan.FromMinutes(180), TimeSpan.FromMinutes(198));
        Assert.Equal(180, adapting.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("feed ttl", adapting.Fetch().GetProperty("intervalReason").GetString());
        Assert.InRange(chosen.Wait(), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(33));
        Assert.Equal("interval", chosen.Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task A_quiet_feed_followed_every_60_minutes_is_checked_again_in_60_minutes_not_a_day()
    {
        _upstream.Feed("quiet", TestFeeds.Rss("quiet", "https://quiet.example/", TestFeeds.Recent("quiet", 3, newest: QuietSince)));

        var source = await _author.FollowAsync(new { url = _upstream.Url("quiet"), intervalMinutes = 60 });

        Assert.InRange(source.Wait(), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(66));
        Assert.Equal(60, source.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("interval", source.Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task A_quiet_feed_left_at_the_default_interval_waits_up_to_the_maximum_and_says_why()
    {
        _upstream.Feed("quiet-default", TestFeeds.Rss("quiet", "https://quiet.example/", TestFeeds.Recent("quiet", 3, newest: QuietSince)));

        var source = await _author.FollowAsync(new { url = _upstream.Url("quiet-default") });

        Assert.Equal(JsonValueKind.Null, source.GetProperty("intervalMinutes").ValueKind);
        Assert.InRange(source.Wait(), TimeSpan.FromHours(24), TimeSpan.FromHours(26.4));
        Assert.Equal(24 * 60, source.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("publishes rarely", source.Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task Changing_the_interval_moves_the_next_check_at_once()
    {
        _upstream.Feed("quiet-patched", TestFeeds.Rss("quiet", "https://quiet.example/", TestFeeds.Recent("quiet", 3, newest: QuietSince)));
        var source = await _author.FollowAsync(new { url = _upstream.Url("quiet-patched") });

        var shorter = await (await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { intervalMinutes = 15 }))).ReadJsonAsync();
        var automatic = await (await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { intervalMinutes = (int?)null }))).ReadJsonAsync();

        Assert.Equal(15, shorter.GetProperty("intervalMinutes").GetInt32());
        Assert.InRange(shorter.Wait(), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(16.5));
        Assert.Equal(15, shorter.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("interval", shorter.Fetch().GetProperty("intervalReason").GetString());
        Assert.Equal(JsonValueKind.Null, automatic.GetProperty("intervalMinutes").ValueKind);
        Assert.InRange(automatic.Wait(), TimeSpan.FromHours(24), TimeSpan.FromHours(26.4));
        Assert.Equal("publishes rarely", automatic.Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task A_failing_source_says_it_is_backing_off()
    {
        var source = await FollowAsync("failing", new { intervalMinutes = 1 });
        _upstream.Status("failing", 500);

        await _author.RefreshAsync(source.Id());
        var failed = (await _author.RefreshAsync(source.Id())).GetProperty("source");

        Assert.Equal(4, failed.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("backing off after 2 failures", failed.Fetch().GetProperty("intervalReason").GetString());
    }

    [Fact]
    public async Task Due_sources_are_polled_by_a_round_and_sources_not_due_are_left_alone()
    {
        var due = await FollowAsync("round-due");
        var later = await FollowAsync("round-later", new { intervalMinutes = 600 });
        var asOf = due.Fetch().Time("nextCheckAt").AddSeconds(1);

        var round = await fixture.Server.Poller().PollDueAsync(asOf, TestContext.Current.CancellationToken);

        Assert.True(round.Polled >= 1);
        Assert.Equal(2, _upstream.RequestsTo("round-due").Count);
        Assert.Single(_upstream.RequestsTo("round-later"));
        Assert.True((await _author.SourceAsync(later.Id())).Fetch().Time("nextCheckAt") > asOf);
    }

    private static Dictionary<string, object?> Merge(object first, object second)
    {
        var merged = JsonSerializer.SerializeToElement(first).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        foreach (var property in JsonSerializer.SerializeToElement(second).EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        return merged;
    }

    /// <summary>The newest item of a feed that has not published for years: a fixed instant, so no test depends on today's date.</summary>
    private static readonly DateTimeOffset QuietSince = new(2020, 1, 15, 12, 0, 0, TimeSpan.Zero);
}
