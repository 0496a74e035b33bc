using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Posts;

public sealed class PostsApiTests : IClassFixture<ServerFixture>
{
    private readonly FeedsServer _server;
    private readonly HttpClient _author;
    private readonly HttpClient _anonymous;

    public PostsApiTests(ServerFixture fixture)
    {
        _server = fixture.Server;
        _author = _server.CreateAuthorizedClient();
        _anonymous = _server.CreateClient();
    }

    [Fact]
    public async Task Creating_a_post_answers_201_with_its_location_and_every_field()
    {
        var response = await _author.PostAsJsonAsync("/api/posts", new
        {
            url = "https://sqlite.org/wal.html",
            title = "Write-Ahead Logging",
            commentary = "Readers *never* block writers.",
            tags = new[] { "SQLite", "Databases" },
            via = new { url = "https://lobste.rs/", title = "Lobsters" },
            status = "published",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = await response.ReadJsonAsync();
        var id = post.GetProperty("id").GetString();
        Assert.Equal($"/api/posts/{id}", response.Headers.Location?.ToString());
        Assert.Equal("write-ahead-logging", post.GetProperty("slug").GetString());
        Assert.Equal("https://sqlite.org/wal.html", post.GetProperty("url").GetString());
        Assert.Equal("<p>Readers <em>never</em> block writers.</p>", post.GetProperty("commentaryHtml").GetString());
        Assert.Equal(["SQLite", "Databases"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Lobsters", post.GetProperty("via").GetProperty("title").GetString());
        Assert.Equal("published", post.GetProperty("status").GetString());
        Assert.EndsWith("Z", post.GetProperty("publishedAt").GetString());
        Assert.StartsWith($"{_server.Address}20", post.GetProperty("permalink").GetString());
        Assert.EndsWith("/write-ahead-logging", post.GetProperty("permalink").GetString());

        Assert.Empty(post.GetProperty("earlierPosts").EnumerateArray());

        var fetched = await (await _anonymous.GetAsync($"/api/posts/{id}")).ReadJsonAsync();
        Assert.Equal(post.WithoutEarlierPosts(), fetched.WithoutEarlierPosts());
    }

    [Fact]
    public async Task Writes_without_a_token_are_refused_with_401()
    {
        var response = await _anonymous.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid());
        await response.AssertProblemAsync(401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_even_for_reads()
    {
        using var client = _server.CreateAuthorizedClient("feeds_not-a-real-token");
        await (await client.GetAsync("/api/posts")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Every_invalid_field_is_named_and_nothing_is_stored()
    {
        var before = await _author.CountAsync();
        var response = await _author.PostAsJsonAsync("/api/posts", new
        {
            url = "javascript:alert(1)",
            title = "",
            tags = new[] { "ok", "!!!" },
            via = new { url = "not a url" },
            status = "archived",
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["status", "tags[1]", "title", "url", "via.url"], problem.ErrorFields());
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_naming_the_field()
    {
        using var content = new StringContent("""{"url": "https://example.com/", "title": "x", "tags": [1, 2]}""", Encoding.UTF8, "application/json");
        var problem = await (await _author.PostAsync("/api/posts", content)).AssertProblemAsync(400);
        Assert.Contains(problem.ErrorFields(), f => f.StartsWith("tags", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Truncated_json_is_a_400_problem()
    {
        using var content = new StringContent("""{"url": "https://exa""", Encoding.UTF8, "application/json");
        await (await _author.PostAsync("/api/posts", content)).AssertProblemAsync(400);
    }

    [Fact]
    public async Task An_unknown_field_is_named()
    {
        var problem = await (await _author.PostAsJsonAsync("/api/posts", new { url = "https://example.com/", title = "x", tag = "typo" }))
            .AssertProblemAsync(400);
        Assert.Equal(["tag"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_with_413_and_nothing_is_stored()
    {
        var before = await _author.CountAsync();
        // As a careful client sends a large upload: with its length, waiting for 100 Continue, so the refusal arrives
        // before the body is on the wire (without it the server may close while the client is still writing).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts")
        {
            Content = JsonContent.Create(new { url = "https://example.com/", title = "big", commentary = new string('a', 1_100_000) }),
        };
        await request.Content.LoadIntoBufferAsync();
        request.Headers.ExpectContinue = true;
        var response = await _author.SendAsync(request);
        await response.AssertProblemAsync(413);
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_problem()
    {
        await (await _anonymous.GetAsync($"/api/posts/{Guid.NewGuid()}")).AssertProblemAsync(404);
        await (await _author.DeleteAsync($"/api/posts/{Guid.NewGuid()}")).AssertProblemAsync(404);
        await (await _author.PutAsJsonAsync($"/api/posts/{Guid.NewGuid()}", Infrastructure.Posts.Valid())).AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_retried_request_with_the_same_idempotency_key_returns_the_first_post_and_stores_nothing_new()
    {
        var body = Infrastructure.Posts.Valid("Idempotent");
        var key = Guid.NewGuid().ToString();
        var first = await SendWithKeyAsync(body, key);
        var before = await _author.CountAsync();
        var second = await SendWithKeyAsync(body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("id").GetString(), (await second.ReadJsonAsync()).GetProperty("id").GetString());
        Assert.Equal(before, await _author.CountAsync());

        var conflicting = await SendWithKeyAsync(Infrastructure.Posts.Valid("Something else"), key);
        Assert.Equal(["Idempotency-Key"], (await conflicting.AssertProblemAsync(422)).ErrorFields());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_idempotency_key_create_one_post()
    {
        var body = Infrastructure.Posts.Valid("Raced");
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendWithKeyAsync(body, key)));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task Drafts_are_hidden_from_anonymous_readers()
    {
        var draft = await _author.CreateAsync(new { url = "https://example.com/draft", title = "Not yet", status = "draft" });
        var id = draft.GetProperty("id").GetString();

        await (await _anonymous.GetAsync($"/api/posts/{id}")).AssertProblemAsync(401);
        await (await _anonymous.GetAsync("/api/posts?status=draft")).AssertProblemAsync(401);
        var published = await _anonymous.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/posts?limit=200");
        Assert.DoesNotContain(published.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.OK, (await _author.GetAsync($"/api/posts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Pages_walk_every_post_of_a_tag_newest_first_without_gaps_or_repeats()
    {
        var tag = $"paging-{Guid.NewGuid():N}"[..20];
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await _author.CreateAsync(Infrastructure.Posts.Valid($"Page post {i}", tag))).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? next = null;
        do
        {
            var response = await _anonymous.GetAsync($"/api/posts?tag={tag}&limit=3" + (next is null ? "" : $"&cursor={next}"));
            var page = await response.ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            next = page.GetProperty("next").GetString();
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
        }
        while (next is not null);

        created.Reverse();
        Assert.Equal(created, seen);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("cursor=bogus", "cursor")]
    [InlineData("status=archived", "status")]
    public async Task Bad_list_parameters_are_named(string query, string field)
    {
        var problem = await (await _author.GetAsync($"/api/posts?{query}")).AssertProblemAsync(400);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Put_replaces_a_post_and_keeps_its_first_publication_time()
    {
        var post = await _author.CreateAsync(Infrastructure.Posts.Valid("Before", "one"));
        var id = post.GetProperty("id").GetString();

        var replaced = await (await _author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.com/after", title = "After", tags = new[] { "two" } })).ReadJsonAsync();

        Assert.Equal("After", replaced.GetProperty("title").GetString());
        Assert.Equal(["two"], replaced.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(post.GetProperty("publishedAt").GetString(), replaced.GetProperty("publishedAt").GetString());
        Assert.Equal(post.GetProperty("slug").GetString(), replaced.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_null_removes_via()
    {
        var post = await _author.CreateAsync(new { url = "https://example.com/p", title = "Patch me", commentary = "Keep", via = new { url = "https://example.org/" } });
        var id = post.GetProperty("id").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/posts/{id}")
        {
            Content = new StringContent("""{"title": "Patched", "via": null}""", Encoding.UTF8, "application/merge-patch+json"),
        };

        var patched = await (await _author.SendAsync(request)).ReadJsonAsync();

        Assert.Equal("Patched", patched.GetProperty("title").GetString());
        Assert.Equal("Keep", patched.GetProperty("commentary").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("via").ValueKind);
    }

    [Fact]
    public async Task Patch_with_an_invalid_value_names_the_field_and_changes_nothing()
    {
        var post = await _author.CreateAsync(Infrastructure.Posts.Valid("Unchanged"));
        var id = post.GetProperty("id").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/posts/{id}")
        {
            Content = new StringContent("""{"url": "ftp://nope"}""", Encoding.UTF8, "application/merge-patch+json"),
        };

        Assert.Equal(["url"], (await (await _author.SendAsync(request)).AssertProblemAsync(400)).ErrorFields());
        Assert.Equal(post.WithoutEarlierPosts(), (await (await _author.GetAsync($"/api/posts/{id}")).ReadJsonAsync()).WithoutEarlierPosts());
    }

    [Fact]
    public async Task Patch_merges_via_member_by_member()
    {
        var post = await _author.CreateAsync(new { url = "https://example.com/v", title = "Via kept", via = new { url = "https://example.org/", title = "Found here" } });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/posts/{post.GetProperty("id").GetString()}")
        {
            Content = new StringContent("""{"via": {"title": null}}""", Encoding.UTF8, "application/merge-patch+json"),
        };

        var via = (await (await _author.SendAsync(request)).ReadJsonAsync()).GetProperty("via");

        Assert.Equal("https://example.org/", via.GetProperty("url").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, via.GetProperty("title").ValueKind);
        Assert.Equal("Via kept", post.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_deleted_post_is_gone()
    {
        var id = (await _author.CreateAsync(Infrastructure.Posts.Valid("Doomed"))).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await _author.DeleteAsync($"/api/posts/{id}")).StatusCode);
        await (await _author.GetAsync($"/api/posts/{id}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Commentary_html_never_carries_scripts_or_javascript_links()
    {
        var post = await _author.CreateAsync(new
        {
            url = "https://example.com/x",
            title = "Hostile",
            commentary = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>",
        });
        var html = post.GetProperty("commentaryHtml").GetString()!;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<img src=\"x\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identical_titles_get_distinct_slugs()
    {
        var first = await _author.CreateAsync(Infrastructure.Posts.Valid("Same title"));
        var second = await _author.CreateAsync(Infrastructure.Posts.Valid("Same title"));
        Assert.NotEqual(first.GetProperty("slug").GetString(), second.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task The_service_describes_itself_and_reports_health()
    {
        var openApi = await (await _anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/posts", out _));
        Assert.Equal("Healthy", await _anonymous.GetStringAsync("/health"));
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/alive")).StatusCode);
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync(object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await _author.SendAsync(request);
    }
}
