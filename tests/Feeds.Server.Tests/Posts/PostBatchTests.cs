using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Webhooks;

namespace Feeds.Server.Tests.Posts;

public sealed class PostBatchTests : IClassFixture<PostBatchTests.Server>
{
    private readonly FeedsServer _server;
    private readonly HttpClient _author;

    public PostBatchTests(Server fixture)
    {
        _server = fixture.Server;
        _author = _server.CreateAuthorizedClient();
    }

    public sealed class Server : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => Webhooks.Webhooks.FastSettings();
    }

    [Fact]
    public async Task A_batch_stores_every_item_with_its_original_times_tags_and_status()
    {
        var key = Guid.NewGuid().ToString("N");
        var result = await ImportAsync(
            new
            {
                url = "https://example.com/2009",
                title = "Saved in 2009",
                commentary = "An *old* find.",
                tags = new[] { "History", "web dev" },
                createdAt = "2009-03-01T10:00:00Z",
                updatedAt = "2010-01-02T03:04:05Z",
                importKey = key + "-1",
            },
            new
            {
                url = "https://example.com/toread",
                title = "Read later",
                status = "draft",
                createdAt = "2015-06-07T08:09:10.1234567Z",
                importKey = key + "-2",
            });

        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(0, result.GetProperty("existing").GetInt32());
        var items = result.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.Equal("created", i.GetProperty("result").GetString()));

        var published = await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{items[0].GetProperty("id").GetString()}");
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal("2009-03-01T10:00:00Z", published.GetProperty("createdAt").GetString());
        Assert.Equal("2009-03-01T10:00:00Z", published.GetProperty("publishedAt").GetString());
        Assert.Equal("2010-01-02T03:04:05Z", published.GetProperty("updatedAt").GetString());
        Assert.Equal(["History", "web dev"], published.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("<p>An <em>old</em> find.</p>", published.GetProperty("commentaryHtml").GetString());
        Assert.Contains("/2009/03/01/", published.GetProperty("permalink").GetString(), StringComparison.Ordinal);

        var draft = await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{items[1].GetProperty("id").GetString()}");
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("2015-06-07T08:09:10.1234567Z", draft.GetProperty("createdAt").GetString());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("publishedAt").ValueKind);
        Assert.Equal("2015-06-07T08:09:10.1234567Z", draft.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task One_invalid_item_refuses_the_whole_batch_naming_each_bad_field_by_position()
    {
        var before = await _author.CountAsync();
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new object?[]
            {
                new { url = "https://example.com/fine", title = "Fine" },
                new { url = "javascript:alert(1)", title = "Bad url" },
                new { url = "https://example.com/future", title = "Future", createdAt = _server.Now.AddDays(2) },
                new { url = "https://example.com/key", title = "Bad key", importKey = "has space" },
                null,
            },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].url", "items[2].createdAt", "items[3].importKey", "items[4]"], problem.ErrorFields());
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task A_malformed_item_is_named_by_its_position()
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new object[] { new { url = "https://example.com/a", title = "A" }, new { url = "https://example.com/b", title = "B", tags = new[] { 1 } } },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.StartsWith("items[1].tags", Assert.Single(problem.ErrorFields()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task A_batch_holds_one_to_five_hundred_items(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => new { url = $"https://example.com/{i}", title = $"Item {i}" }).ToArray();
        var problem = await (await _author.PostAsJsonAsync("/api/posts/batch", new { items })).AssertProblemAsync(400);
        Assert.Equal(["items"], problem.ErrorFields());
    }

    [Fact]
    public async Task Sending_a_batch_again_stores_nothing_new_and_reports_the_first_posts()
    {
        var key = Guid.NewGuid().ToString("N");
        object[] items =
        [
            new { url = "https://example.com/again/1", title = "Again 1", importKey = key + "-1" },
            new { url = "https://example.com/again/2", title = "Again 2", importKey = key + "-2" },
        ];
        var first = await ImportAsync(items);
        var before = await _author.CountAsync();

        var second = await ImportAsync(items);

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(2, second.GetProperty("existing").GetInt32());
        Assert.Equal(Ids(first), Ids(second));
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task A_key_repeated_within_one_batch_stores_the_first_item_only()
    {
        var key = Guid.NewGuid().ToString("N");
        var result = await ImportAsync(
            new { url = "https://example.com/twice", title = "First", importKey = key },
            new { url = "https://example.com/twice", title = "Second", importKey = key });

        Assert.Equal(["created", "existing"], result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("result").GetString()));
        Assert.Single(Ids(result).Distinct());
    }

    [Fact]
    public async Task Times_in_the_future_and_two_publication_times_are_refused()
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new object[]
            {
                new { url = "https://example.com/a", title = "A", publishedAt = _server.Now.AddHours(1), updatedAt = _server.Now.AddHours(1) },
                new { url = "https://example.com/b", title = "B", publishAt = "2001-01-01T00:00:00Z", publishedAt = "2001-01-01T00:00:00Z" },
            },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[0].publishedAt", "items[0].updatedAt", "items[1].publishedAt"], problem.ErrorFields());
    }

    [Fact]
    public async Task Imported_posts_reach_the_feeds_but_send_no_webhooks()
    {
        var (endpoint, _) = await _author.SubscribeAsync("http://127.0.0.1:9/hook");
        var tag = $"imported-{Guid.NewGuid():N}"[..20];
        await ImportAsync(new { url = "https://example.com/imported", title = "Imported quietly", tags = new[] { tag }, createdAt = "2012-01-01T00:00:00Z" });

        using var anonymous = _server.CreateClient();
        var feed = await Webhooks.Webhooks.EventuallyAsync(
            async () => await anonymous.GetAsync($"/tags/{tag}.atom"),
            r => r.StatusCode == HttpStatusCode.OK);
        Assert.Contains("Imported quietly", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await _author.CreateAsync(new { url = "https://example.com/announced", title = "Announced", tags = new[] { tag } });
        var messages = await _author.GetJsonAsync($"/api/webhooks/{endpoint}/messages");
        var titles = messages.GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("payload").GetProperty("data").GetProperty("title").GetString()).ToList();
        Assert.Contains("Announced", titles);
        Assert.DoesNotContain("Imported quietly", titles);
        await _author.DeleteAsync($"/api/webhooks/{endpoint}");
    }

    [Fact]
    public async Task Importing_needs_a_token()
    {
        using var anonymous = _server.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/posts/batch", new { items = new[] { new { url = "https://example.com/", title = "x" } } });
        await response.AssertProblemAsync(401);
    }

    private async Task<JsonElement> ImportAsync(params object[] items)
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new { items });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"import failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement result) =>
        [.. result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
