using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

public sealed class SourcesApiTests(SourcesFixture fixture) : IClassFixture<SourcesFixture>
{
    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    private string ServeFeed(string name, int items = 2, string? siteUrl = null)
    {
        _upstream.Feed($"{name}.xml", TestFeeds.Rss($"{name} blog", siteUrl ?? $"https://{name}.example/", TestFeeds.Recent(name, items, fixture.Server.Now)));
        return _upstream.Url($"{name}.xml");
    }

    [Fact]
    public async Task Following_a_feed_answers_201_with_its_location_and_exactly_the_documented_shape()
    {
        var url = ServeFeed("shape");

        var response = await _author.PostAsJsonAsync("/api/sources", new { url, tags = new[] { "Python", "Web Dev" }, mode = "publish", intervalMinutes = 90 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var source = await response.ReadJsonAsync();
        Assert.Equal($"/api/sources/{source.Id()}", response.Headers.Location?.ToString());
        Assert.Equal(["id", "url", "siteUrl", "title", "tags", "mode", "intervalMinutes", "backfill", "createdAt", "fetch", "push"],
            source.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["lastStatus", "lastCheckedAt", "lastSuccessAt", "nextCheckAt", "effectiveIntervalMinutes", "intervalReason", "errorCount", "lastError", "stopped", "warnings"],
            source.Fetch().EnumerateObject().Select(p => p.Name));
        Assert.Equal(["updates", "reason", "hub", "topic", "leaseEndsAt", "lastPushAt"], source.GetProperty("push").EnumerateObject().Select(p => p.Name));
        Assert.Equal(url, source.GetProperty("url").GetString());
        Assert.Equal("https://shape.example/", source.GetProperty("siteUrl").GetString());
        Assert.Equal("shape blog", source.GetProperty("title").GetString());
        Assert.Equal(["python", "web-dev"], source.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("publish", source.GetProperty("mode").GetString());
        Assert.Equal(90, source.GetProperty("intervalMinutes").GetInt32());
        Assert.False(source.GetProperty("backfill").GetBoolean());
        Assert.EndsWith("Z", source.GetProperty("createdAt").GetString());
        Assert.Equal(200, source.Fetch().GetProperty("lastStatus").GetInt32());
        Assert.Equal(0, source.Fetch().GetProperty("errorCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, source.Fetch().GetProperty("lastError").ValueKind);
        Assert.False(source.Fetch().GetProperty("stopped").GetBoolean());
        Assert.InRange(source.Wait(), TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(100));
        Assert.Equal(90, source.Fetch().GetProperty("effectiveIntervalMinutes").GetInt32());
        Assert.Equal("interval", source.Fetch().GetProperty("intervalReason").GetString());

        var fetched = await _author.SourceAsync(source.Id());
        Assert.Equal(source.GetRawText(), fetched.GetRawText());
        var list = await _author.GetFromJsonAsync<JsonElement>("/api/sources");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.Id() == source.Id());
    }

    [Fact]
    public async Task Following_a_web_page_follows_the_feed_it_advertises()
    {
        var feedUrl = ServeFeed("discovered", siteUrl: "https://discovered.example/");
        _upstream.Page("discovered/", TestFeeds.Html("Discovered", "/discovered.xml"));

        var source = await _author.FollowAsync(new { url = _upstream.Url("discovered/"), title = "My name for it" });

        Assert.Equal(feedUrl, source.GetProperty("url").GetString());
        Assert.Equal("https://discovered.example/", source.GetProperty("siteUrl").GetString());
        Assert.Equal("My name for it", source.GetProperty("title").GetString());
        Assert.Equal("draft", source.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("intervalMinutes").ValueKind);
    }

    [Fact]
    public async Task A_page_without_a_feed_is_refused_naming_url_and_nothing_is_stored()
    {
        _upstream.Page("no-feed/", TestFeeds.Html("Nothing here"));
        var before = await CountSourcesAsync();

        var problem = await (await _author.PostAsJsonAsync("/api/sources", new { url = _upstream.Url("no-feed/") })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Contains("advertises no feed", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Equal(before, await CountSourcesAsync());
    }

    [Fact]
    public async Task An_unreachable_feed_is_refused_naming_url()
    {
        _upstream.Status("broken.xml", 500);

        var problem = await (await _author.PostAsJsonAsync("/api/sources", new { url = _upstream.Url("broken.xml") })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Contains("HTTP 500", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task Every_bad_field_is_named_and_nothing_is_stored()
    {
        var before = await CountSourcesAsync();

        var problem = await (await _author.PostAsJsonAsync("/api/sources", new
        {
            url = "ftp://example.com/feed",
            title = "bad\u0001title",
            tags = new[] { "ok", "" },
            mode = "sometimes",
            intervalMinutes = 0,
        })).AssertProblemAsync(400);

        Assert.Equal(["intervalMinutes", "mode", "tags[1]", "title", "url"], problem.ErrorFields());
        Assert.Equal(before, await CountSourcesAsync());
    }

    [Fact]
    public async Task A_missing_url_an_unknown_field_and_malformed_json_are_refused_naming_the_field()
    {
        var missing = await (await _author.PostAsJsonAsync("/api/sources", new { title = "x" })).AssertProblemAsync(400);
        Assert.Equal(["url"], missing.ErrorFields());

        var unknown = await (await _author.PostAsJsonAsync("/api/sources", new { url = ServeFeed("unknown-field"), colour = "red" })).AssertProblemAsync(400);
        Assert.Equal(["colour"], unknown.ErrorFields());

        var malformed = await (await _author.PostAsync("/api/sources", new StringContent("{\"url\": ", Encoding.UTF8, "application/json"))).AssertProblemAsync(400);
        Assert.NotEmpty(malformed.ErrorFields());
    }

    [Fact]
    public async Task Following_the_same_feed_twice_is_a_conflict_naming_url()
    {
        var url = ServeFeed("twice");
        var first = await _author.FollowAsync(new { url });

        var problem = await (await _author.PostAsJsonAsync("/api/sources", new { url })).AssertProblemAsync(409);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Equal(first.Id(), problem.GetProperty("sourceId").GetInt64());
    }

    [Fact]
    public async Task Patching_changes_only_the_fields_given_and_null_title_falls_back_to_the_feed()
    {
        var source = await _author.FollowAsync(new { url = ServeFeed("patched"), title = "Mine", tags = new[] { "a" } });

        var response = await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { mode = "publish", intervalMinutes = 120, tags = new[] { "B", "c d" } }));
        var patched = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Mine", patched.GetProperty("title").GetString());
        Assert.Equal("publish", patched.GetProperty("mode").GetString());
        Assert.Equal(120, patched.GetProperty("intervalMinutes").GetInt32());
        Assert.Equal(["b", "c-d"], patched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var reset = await (await _author.PatchAsync($"/api/sources/{source.Id()}", new StringContent("{\"title\": null}", Encoding.UTF8, "application/merge-patch+json"))).ReadJsonAsync();
        Assert.Equal("patched blog", reset.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_bad_patch_names_the_field_and_changes_nothing()
    {
        var source = await _author.FollowAsync(new { url = ServeFeed("bad-patch") });

        var problem = await (await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { mode = "never", intervalMinutes = 100_000 }))).AssertProblemAsync(400);
        Assert.Equal(["intervalMinutes", "mode"], problem.ErrorFields());

        var unknown = await (await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { stopped = false }))).AssertProblemAsync(400);
        Assert.Equal(["stopped"], unknown.ErrorFields());

        Assert.Equal(source.GetRawText(), (await _author.SourceAsync(source.Id())).GetRawText());
    }

    [Fact]
    public async Task Patching_the_url_moves_the_source_to_the_new_feed()
    {
        var source = await _author.FollowAsync(new { url = ServeFeed("old-home") });
        var newUrl = ServeFeed("new-home");

        var moved = await (await _author.PatchAsync($"/api/sources/{source.Id()}", JsonContent.Create(new { url = newUrl }))).ReadJsonAsync();

        Assert.Equal(newUrl, moved.GetProperty("url").GetString());
        Assert.Equal("new-home blog", moved.GetProperty("title").GetString());
        Assert.Equal(200, moved.Fetch().GetProperty("lastStatus").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_source_answers_204_and_keeps_its_posts()
    {
        _upstream.Feed("deleted.xml", TestFeeds.Rss("deleted", "https://deleted.example/", TestFeeds.Recent("deleted", 3, fixture.Server.Now)));
        var source = await _author.FollowAsync(new { url = _upstream.Url("deleted.xml"), backfill = true });
        Assert.Equal(3, (await _author.PostsOfAsync(source.Id())).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _author.DeleteAsync($"/api/sources/{source.Id()}")).StatusCode);

        await (await _author.GetAsync($"/api/sources/{source.Id()}")).AssertProblemAsync(404);
        await (await _author.DeleteAsync($"/api/sources/{source.Id()}")).AssertProblemAsync(404);
        Assert.Equal(3, (await _author.PostsOfAsync(source.Id())).Count);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problems()
    {
        await (await _author.GetAsync("/api/sources/999999")).AssertProblemAsync(404);
        await (await _author.PostAsync("/api/sources/999999/refresh", null)).AssertProblemAsync(404);
        await (await _author.PatchAsync("/api/sources/999999", JsonContent.Create(new { title = "x" }))).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Every_route_needs_a_token()
    {
        var anonymous = fixture.Server.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sources.opml")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/sources", new { url = "https://example.com/" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/sources/1/refresh", null)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_sources_routes()
    {
        var paths = (await (await fixture.Server.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync()).GetProperty("paths");

        foreach (var path in (string[])["/api/sources", "/api/sources/{id}", "/api/sources/{id}/refresh", "/api/sources/import", "/api/sources.opml"])
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not described");
        }

        Assert.Equal("Healthy", await fixture.Server.CreateClient().GetStringAsync("/health"));
    }

    private async Task<int> CountSourcesAsync() =>
        (await _author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").GetArrayLength();
}
