using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Tags;

/// <summary>
/// A tag that only drafts or scheduled posts carry tells anonymous readers nothing: every surface answers for it exactly
/// as for a tag that does not exist, until a post carrying it is published, and again once no published post does.
/// </summary>
public sealed partial class UnpublishedTagTests : IDisposable
{
    private const string Unknown = "nosuchtag";

    /// <summary>Every anonymous surface that names a tag: feeds in each format, combinations, archives, older pages, HTML pages.</summary>
    private static readonly string[] Surfaces =
    [
        "/tags/{0}.atom", "/tags/{0}.rss", "/tags/{0}.json", "/tags/{0}.atom?before=abc",
        "/tags/public+{0}.atom", "/tags/{0}+public.json",
        "/tags/{0}/archive/2024/03.atom", "/tags/public+{0}/archive/2024/03.rss",
        "/tags/{0}", "/tags/public+{0}", "/tags/{0}?before=abc",
    ];

    private readonly FeedsServer _server = new(settings: new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "1" });
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public UnpublishedTagTests()
    {
        _author = _server.CreateAuthorizedClient();
        _reader = _server.CreateClient();
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Tags_only_drafts_or_scheduled_posts_carry_are_left_out_of_anonymous_listings_and_counted_for_token_holders()
    {
        await SeedAsync();

        var anonymous = await _reader.GetFromJsonAsync<JsonElement>("/api/tags");
        var authorized = await _author.GetFromJsonAsync<JsonElement>("/api/tags");
        var home = await _reader.GetStringAsync("/");

        Assert.Equal(["public:1"], anonymous.EnumerateArray().Select(t => $"{t.GetProperty("slug").GetString()}:{t.GetProperty("publishedCount").GetInt32()}"));
        Assert.All(anonymous.EnumerateArray(), t => Assert.False(t.TryGetProperty("draftCount", out _)));
        Assert.Equal(
            ["onlyindraft:0/1/0", "public:1/1/0", "soon:0/0/1"],
            authorized.EnumerateArray().Select(t =>
                $"{t.GetProperty("slug").GetString()}:{t.GetProperty("publishedCount").GetInt32()}/{t.GetProperty("draftCount").GetInt32()}/{t.GetProperty("scheduledCount").GetInt32()}"));
        Assert.DoesNotContain("onlyindraft", home, StringComparison.Ordinal);
        Assert.DoesNotContain("soon", home, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("onlyindraft")]
    [InlineData("soon")]
    public async Task Every_surface_answers_for_a_tag_no_published_post_carries_as_for_an_unknown_tag(string tag)
    {
        await SeedAsync();

        foreach (var surface in Surfaces)
        {
            var unknown = await AnswerAsync(surface, Unknown);
            Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
            Assert.Equal(unknown, await AnswerAsync(surface, tag));
        }
    }

    [Fact]
    public async Task The_old_slug_of_a_renamed_tag_only_drafts_carry_answers_as_an_unknown_tag()
    {
        await SeedAsync();
        (await _author.PostAsJsonAsync("/api/tags/onlyindraft/rename", new { to = "Still Draft" })).EnsureSuccessStatusCode();

        foreach (var surface in Surfaces)
        {
            Assert.Equal(await AnswerAsync(surface, Unknown), await AnswerAsync(surface, "onlyindraft"));
            Assert.Equal(await AnswerAsync(surface, Unknown), await AnswerAsync(surface, "still-draft"));
        }
    }

    [Fact]
    public async Task A_tag_becomes_public_when_its_post_is_published_and_unknown_again_when_it_is_unpublished_or_deleted()
    {
        await SeedAsync();
        var id = (await _author.CreateAsync(new { url = "https://example.com/later", title = "Later", tags = new[] { "Later" }, status = "draft" }))
            .GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await _reader.GetAsync("/tags/later.atom")).StatusCode);

        (await _author.PatchAsJsonAsync($"/api/posts/{id}", new { status = "published" })).EnsureSuccessStatusCode();
        await WaitForAsync("/tags/later.atom", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await _reader.GetAsync("/tags/later")).StatusCode);
        Assert.Contains(await ListedAsync(), s => s == "later");

        (await _author.PatchAsJsonAsync($"/api/posts/{id}", new { status = "draft" })).EnsureSuccessStatusCode();
        await WaitForAsync("/tags/later.atom", HttpStatusCode.NotFound);
        Assert.Equal(await AnswerAsync("/tags/{0}.json", Unknown), await AnswerAsync("/tags/{0}.json", "later"));
        Assert.Equal(await AnswerAsync("/tags/{0}", Unknown), await AnswerAsync("/tags/{0}", "later"));
        Assert.DoesNotContain(await ListedAsync(), s => s == "later");

        (await _author.PatchAsJsonAsync($"/api/posts/{id}", new { status = "published" })).EnsureSuccessStatusCode();
        await WaitForAsync("/tags/later.atom", HttpStatusCode.OK);
        (await _author.DeleteAsync($"/api/posts/{id}")).EnsureSuccessStatusCode();
        await WaitForAsync("/tags/later.atom", HttpStatusCode.NotFound);
        Assert.Equal(await AnswerAsync("/tags/{0}.rss", Unknown), await AnswerAsync("/tags/{0}.rss", "later"));
        Assert.DoesNotContain(await ListedAsync(), s => s == "later");
    }

    [Fact]
    public async Task A_scheduled_posts_tag_becomes_public_when_the_post_goes_live()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        using var server = new FeedsServer(clock: clock);
        var reader = server.CreateClient();
        await server.CreateAuthorizedClient().CreateAsync(new { url = "https://example.com/at", title = "At", tags = new[] { "Timed" }, publishAt = clock.GetUtcNow().AddHours(1) });
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/tags/timed.atom", TestContext.Current.CancellationToken)).StatusCode);
        Assert.DoesNotContain(await ListedAsync(reader), s => s == "timed");

        // Quartz keeps the service's clock too: the post's trigger fires once that clock reaches its time.
        clock.Advance(TimeSpan.FromHours(1));
        await WaitForAsync(reader, "/tags/timed.atom", HttpStatusCode.OK);

        Assert.Contains(await ListedAsync(reader), s => s == "timed");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/tags/timed", TestContext.Current.CancellationToken)).StatusCode);
    }

    /// <summary>
    /// A published post tagged "public" in March 2024 (so the tag has an archive), a draft tagged "onlyindraft" and
    /// "public", and a post scheduled far ahead tagged "soon".
    /// </summary>
    private async Task SeedAsync()
    {
        await _author.CreateAsync(new { url = "https://example.com/p", title = "Public", tags = new[] { "Public" }, publishAt = new DateTimeOffset(2024, 3, 5, 8, 0, 0, TimeSpan.Zero) });
        await _author.CreateAsync(new { url = "https://example.com/d", title = "Draft", tags = new[] { "OnlyInDraft", "Public" }, status = "draft" });
        await _author.CreateAsync(new { url = "https://example.com/s", title = "Soon", tags = new[] { "Soon" }, publishAt = new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero) });
    }

    private Task<List<string>> ListedAsync() => ListedAsync(_reader);

    private static async Task<List<string>> ListedAsync(HttpClient reader) =>
        [.. (await reader.GetFromJsonAsync<JsonElement>("/api/tags")).EnumerateArray().Select(t => t.GetProperty("slug").GetString()!)];

    /// <summary>What an anonymous reader learns from <paramref name="surface"/> for <paramref name="tag"/>, with the tag's own name and the request's trace id taken out.</summary>
    private async Task<(HttpStatusCode Status, string? ContentType, string? Location, string Body)> AnswerAsync(string surface, string tag)
    {
        using var response = await _reader.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, surface, tag));
        var body = TraceId().Replace((await response.Content.ReadAsStringAsync()).Replace(tag, "{tag}", StringComparison.Ordinal), "");
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers.Location?.ToString(), body);
    }

    private Task WaitForAsync(string path, HttpStatusCode status) => WaitForAsync(_reader, path, status);

    private static async Task WaitForAsync(HttpClient reader, string path, HttpStatusCode status)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode last;
        while ((last = (await reader.GetAsync(path)).StatusCode) != status)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"{path} still answers {(int)last}, not {(int)status}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex("\"(traceId|requestId)\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
