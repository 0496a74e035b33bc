using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Posts;

/// <summary>A link posted twice: allowed, named in the create answer, and every post of it found by <c>GET /api/posts?url=</c>.</summary>
public sealed class DuplicateLinkTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Author => fixture.Author;

    [Fact]
    public async Task A_link_posted_again_is_created_and_the_answer_lists_the_earlier_posts_newest_first()
    {
        var first = await Author.CreateAsync(new { url = "https://Example.com:443/wal?utm_source=x#intro", title = "WAL once", publishAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var second = await Author.CreateAsync(new { url = "https://example.com/wal", title = "WAL draft", status = "draft" });

        var third = await Author.CreateAsync(new { url = "HTTPS://EXAMPLE.COM/wal?utm_medium=y", title = "WAL again" });

        Assert.Equal([second.GetProperty("id").GetString(), first.GetProperty("id").GetString()],
            third.GetProperty("earlierPosts").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var earliest = third.GetProperty("earlierPosts")[1];
        Assert.Equal("WAL once", earliest.GetProperty("title").GetString());
        Assert.Equal("published", earliest.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("permalink").GetString(), earliest.GetProperty("permalink").GetString());
        Assert.Equal("2025-01-01T00:00:00Z", earliest.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_replayed_create_lists_the_other_posts_of_its_link_and_none_deleted()
    {
        var url = $"https://example.com/replayed/{Guid.NewGuid():N}";
        var deleted = await Author.CreateAsync(new { url, title = "Deleted since" });
        var kept = await Author.CreateAsync(new { url, title = "Kept" });
        (await Author.DeleteAsync($"/api/posts/{deleted.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        var body = new { url, title = "Again" };

        var created = await CreateWithKeyAsync(body);
        var replayed = await CreateWithKeyAsync(body);

        Assert.Equal(created.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        foreach (var answer in (JsonElement[])[created, replayed])
        {
            Assert.Equal([kept.GetProperty("id").GetString()], answer.GetProperty("earlierPosts").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        }

        async Task<JsonElement> CreateWithKeyAsync(object post)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = JsonContent.Create(post), Headers = { { "Idempotency-Key", url } } };
            var response = await Author.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }

    [Fact]
    public async Task A_new_link_is_answered_with_no_earlier_posts_and_other_answers_have_no_such_field()
    {
        var post = await Author.CreateAsync(new { url = $"https://example.com/{Guid.NewGuid():N}", title = "New" });
        var read = await Author.GetFromJsonAsync<JsonElement>($"/api/posts/{post.GetProperty("id").GetString()}");

        Assert.Empty(post.GetProperty("earlierPosts").EnumerateArray());
        Assert.False(read.TryGetProperty("earlierPosts", out _));
    }

    [Fact]
    public async Task Every_post_of_a_link_is_found_by_its_url_in_any_spelling()
    {
        var published = await Author.CreateAsync(new { url = "https://example.net/paper?id=7&utm_campaign=z", title = "Paper" });
        var draft = await Author.CreateAsync(new { url = "https://EXAMPLE.net/paper?id=7#section-2", title = "Paper draft", status = "draft" });
        await Author.CreateAsync(new { url = "https://example.net/paper?id=8", title = "Another paper" });

        var byAuthor = await Author.GetFromJsonAsync<JsonElement>("/api/posts?url=" + Uri.EscapeDataString("http://example.net:80/x"));
        var found = await Author.GetFromJsonAsync<JsonElement>("/api/posts?url=" + Uri.EscapeDataString("https://example.net:443/paper?id=7"));
        var byReader = await fixture.Server.CreateClient().GetFromJsonAsync<JsonElement>("/api/posts?url=" + Uri.EscapeDataString("https://example.net/paper?id=7"));

        Assert.Empty(byAuthor.GetProperty("items").EnumerateArray());
        Assert.Equal([draft.GetProperty("id").GetString(), published.GetProperty("id").GetString()],
            found.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal([published.GetProperty("id").GetString()], byReader.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("url=not-a-url", "url")]
    [InlineData("url=ftp%3A%2F%2Fexample.com%2F", "url")]
    [InlineData("url=https%3A%2F%2Fexample.com%2F&q=x", "q")]
    [InlineData("url=https%3A%2F%2Fexample.com%2F&tag=x", "tag")]
    [InlineData("url=https%3A%2F%2Fexample.com%2F&cursor=x", "cursor")]
    public async Task A_bad_url_question_is_a_400_naming_the_field(string query, string field)
    {
        var response = await Author.GetAsync("/api/posts?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }
}
