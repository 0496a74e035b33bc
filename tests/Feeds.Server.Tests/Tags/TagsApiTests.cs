using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Tags;

public sealed class TagsApiTests : IDisposable
{
    private readonly FeedsServer _server = new();
    private readonly HttpClient _author;

    public TagsApiTests() => _author = _server.CreateAuthorizedClient();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Tags_list_their_slug_display_name_and_published_count()
    {
        await _author.CreateAsync(Infrastructure.Posts.Valid("one", "Machine Learning"));
        await _author.CreateAsync(Infrastructure.Posts.Valid("two", "machine learning", "Python"));
        await _author.CreateAsync(new { url = "https://example.com/d", title = "draft", tags = new[] { "Python" }, status = "draft" });

        var tags = await _server.CreateClient().GetFromJsonAsync<JsonElement>("/api/tags");

        Assert.Equal(
            ["machine-learning:Machine Learning:2", "python:Python:1"],
            tags.EnumerateArray().Select(t => $"{t.GetProperty("slug").GetString()}:{t.GetProperty("name").GetString()}:{t.GetProperty("publishedCount").GetInt32()}"));
    }

    [Fact]
    public async Task Renaming_into_an_existing_tag_merges_them_and_the_old_slug_follows()
    {
        var js = await _author.CreateAsync(Infrastructure.Posts.Valid("js post", "JS"));
        await _author.CreateAsync(Infrastructure.Posts.Valid("both", "JS", "JavaScript"));
        await _author.CreateAsync(Infrastructure.Posts.Valid("javascript post", "JavaScript"));

        var response = await _author.PostAsJsonAsync("/api/tags/js/rename", new { to = "JavaScript" });
        var renamed = await response.ReadJsonAsync();

        Assert.True(renamed.GetProperty("merged").GetBoolean());
        Assert.Equal("javascript", renamed.GetProperty("slug").GetString());
        var tags = await _author.GetFromJsonAsync<JsonElement>("/api/tags");
        Assert.Equal(["javascript:3"], tags.EnumerateArray().Select(t => $"{t.GetProperty("slug").GetString()}:{t.GetProperty("publishedCount").GetInt32()}"));
        var post = await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{js.GetProperty("id").GetString()}");
        Assert.Equal(["JavaScript"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var later = await _author.CreateAsync(Infrastructure.Posts.Valid("later", "js"));
        Assert.Equal(["JavaScript"], later.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // An edit takes the same way: the old slug follows the rename, and the tag it names twice is linked once.
        var edited = await (await _author.PatchAsJsonAsync($"/api/posts/{js.GetProperty("id").GetString()}", new { tags = new[] { "js", "Rust", "JavaScript" } })).ReadJsonAsync();
        Assert.Equal(["JavaScript", "Rust"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Renaming_to_a_new_name_moves_the_posts()
    {
        await _author.CreateAsync(Infrastructure.Posts.Valid("ml", "ML"));
        var renamed = await (await _author.PostAsJsonAsync("/api/tags/ml/rename", new { to = "Machine Learning" })).ReadJsonAsync();
        Assert.False(renamed.GetProperty("merged").GetBoolean());
        var page = await _author.GetFromJsonAsync<JsonElement>("/api/posts?tag=machine-learning");
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Renaming_an_unknown_tag_is_404_and_an_empty_name_is_named()
    {
        await (await _author.PostAsJsonAsync("/api/tags/nope/rename", new { to = "x" })).AssertProblemAsync(404);
        await _author.CreateAsync(Infrastructure.Posts.Valid("t", "keep"));
        var problem = await (await _author.PostAsJsonAsync("/api/tags/keep/rename", new { to = "!!" })).AssertProblemAsync(400);
        Assert.Equal(["to"], problem.ErrorFields());
    }

    [Fact]
    public async Task Renaming_needs_a_token() =>
        await (await _server.CreateClient().PostAsJsonAsync("/api/tags/x/rename", new { to = "y" })).AssertProblemAsync(401);
}
