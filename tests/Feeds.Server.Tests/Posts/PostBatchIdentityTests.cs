using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// Posts moving from another Feeds site bring their ids and slugs to <c>POST /api/posts/batch</c>, so their feed entry
/// ids (made from id and creation day) and permalinks (publication day and slug) are the ones readers and links know.
/// </summary>
public sealed class PostBatchIdentityTests : IClassFixture<PostBatchIdentityTests.Server>
{
    private const string IdAuthority = "links.example";

    private readonly FeedsServer _server;
    private readonly HttpClient _author;

    public PostBatchIdentityTests(Server fixture)
    {
        _server = fixture.Server;
        _author = _server.CreateAuthorizedClient();
    }

    public sealed class Server : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feeds:Publishing:IdAuthority"] = IdAuthority };
    }

    [Fact]
    public async Task An_item_keeps_its_id_and_slug_so_its_permalink_and_feed_entry_id_are_the_old_ones()
    {
        var id = Guid.CreateVersion7(new DateTimeOffset(2011, 4, 5, 6, 7, 8, TimeSpan.Zero));
        var slug = $"moved-{Unique()}";

        var result = await ImportAsync(new
        {
            id,
            slug,
            url = "https://example.com/moved",
            title = "A title that would make another slug",
            createdAt = "2011-04-05T06:07:08Z",
            publishedAt = "2011-04-06T10:00:00Z",
        });

        var item = Assert.Single(result.GetProperty("items").EnumerateArray());
        Assert.Equal(id.ToString(), item.GetProperty("id").GetString());
        Assert.Equal("created", item.GetProperty("result").GetString());

        var post = await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
        Assert.Equal(slug, post.GetProperty("slug").GetString());
        Assert.Equal($"{_server.Address.ToString().TrimEnd('/')}/2011/04/06/{slug}", post.GetProperty("permalink").GetString());

        using var anonymous = _server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/2011/04/06/{slug}")).StatusCode);
        var entryId = $"<id>tag:{IdAuthority},2011-04-05:post:{id}</id>";
        var firehose = await Webhooks.Webhooks.EventuallyAsync(
            () => anonymous.GetStringAsync("/everything.atom"), atom => atom.Contains(entryId, StringComparison.Ordinal));
        Assert.Contains(entryId, firehose, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_an_item_whose_id_is_here_already_stores_nothing_and_reports_it_existing()
    {
        var id = Guid.NewGuid();
        var item = new { id, slug = $"again-{Unique()}", url = "https://example.com/again", title = "Again", createdAt = "2012-01-01T00:00:00Z" };
        await ImportAsync(item);
        var before = await _author.CountAsync();

        var second = await ImportAsync(item);

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(1, second.GetProperty("existing").GetInt32());
        Assert.Equal(id.ToString(), second.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task An_id_here_already_makes_an_item_existing_whatever_its_import_key()
    {
        var id = Guid.NewGuid();
        await ImportAsync(new { id, url = "https://example.com/id-first", title = "Id first", importKey = $"first-{Unique()}" });
        var before = await _author.CountAsync();

        var second = await ImportAsync(new { id, url = "https://example.com/id-first", title = "Id first", importKey = $"other-{Unique()}" });

        Assert.Equal("existing", second.GetProperty("items")[0].GetProperty("result").GetString());
        Assert.Equal(id.ToString(), second.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task An_import_key_seen_before_makes_an_item_with_a_new_id_existing_as_the_post_the_key_brought()
    {
        var key = $"key-{Unique()}";
        var first = await ImportAsync(new { url = "https://example.com/key-first", title = "Key first", importKey = key });
        var before = await _author.CountAsync();

        var newId = Guid.NewGuid();
        var second = await ImportAsync(new { id = newId, slug = $"key-first-{Unique()}", url = "https://example.com/key-first", title = "Key first", importKey = key });

        Assert.Equal("existing", second.GetProperty("items")[0].GetProperty("result").GetString());
        Assert.Equal(first.GetProperty("items")[0].GetProperty("id").GetString(), second.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _author.GetAsync($"/api/posts/{newId}")).StatusCode);
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task A_slug_another_post_has_refuses_the_whole_batch_naming_the_item()
    {
        var title = $"Taken {Unique()}";
        var taken = (await _author.CreateAsync(new { url = "https://example.com/taken", title })).GetProperty("slug").GetString();
        var before = await _author.CountAsync();

        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new object[]
            {
                new { id = Guid.NewGuid(), slug = $"free-{Unique()}", url = "https://example.com/free", title = "Free" },
                new { id = Guid.NewGuid(), slug = taken, url = "https://example.com/elsewhere", title, createdAt = "2010-02-03T00:00:00Z" },
            },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].slug"], problem.ErrorFields());
        Assert.Contains("another post's slug", Errors(problem, "items[1].slug"), StringComparison.Ordinal);
        Assert.Equal(before, await _author.CountAsync());
    }

    [Fact]
    public async Task A_deleted_posts_slug_is_taken_too()
    {
        var created = await _author.CreateAsync(new { url = "https://example.com/deleted", title = $"Deleted {Unique()}" });
        (await _author.DeleteAsync($"/api/posts/{created.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();

        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new[] { new { slug = created.GetProperty("slug").GetString(), url = "https://example.com/reborn", title = "Reborn" } },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("another post's slug", Errors(problem, "items[0].slug"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_items_with_one_id_or_one_slug_refuse_the_batch()
    {
        var id = Guid.NewGuid();
        var slug = $"twice-{Unique()}";
        var before = await _author.CountAsync();

        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new object[]
            {
                new { id, slug, url = "https://example.com/one", title = "One", createdAt = "2015-01-01T00:00:00Z" },
                new { id, url = "https://example.com/two", title = "Two" },
                new { id = Guid.NewGuid(), slug, url = "https://example.com/three", title = "Three", createdAt = "2016-01-01T00:00:00Z" },
            },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].id", "items[2].slug"], problem.ErrorFields());
        Assert.Contains("items[0]", Errors(problem, "items[1].id"), StringComparison.Ordinal);
        Assert.Contains("items[0]", Errors(problem, "items[2].slug"), StringComparison.Ordinal);
        Assert.Equal(before, await _author.CountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _author.GetAsync($"/api/posts/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("two words")]
    [InlineData("2011/04/05/path")]
    [InlineData("")]
    [InlineData("-hyphens-")]
    [InlineData("café")]
    [InlineData("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij")]
    public async Task A_slug_the_site_would_never_make_is_refused_by_name(string slug)
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new[] { new { slug = $"fine-{Unique()}", url = "https://example.com/fine", title = "Fine" }, new { slug, url = "https://example.com/bad", title = "Bad" } },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].slug"], problem.ErrorFields());
        Assert.Contains("lower-case letters and digits", Errors(problem, "items[1].slug"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_of_all_zeros_is_refused_by_name()
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new[] { new { id = Guid.NewGuid(), url = "https://example.com/fine", title = "Fine" }, new { id = Guid.Empty, url = "https://example.com/zero", title = "Zero" } },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].id"], problem.ErrorFields());
        Assert.Contains("all zeros", Errors(problem, "items[1].id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_that_is_no_guid_is_refused_by_name()
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new
        {
            items = new[] { new { id = "0193a1b2-0000-7000-8000-000000000001", url = "https://example.com/fine", title = "Fine" }, new { id = "post-42", url = "https://example.com/bad", title = "Bad" } },
        });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["items[1].id"], problem.ErrorFields());
        Assert.StartsWith("is not valid JSON of the expected type", Errors(problem, "items[1].id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slug_made_from_a_title_leaves_alone_a_slug_a_later_item_brings()
    {
        var suffix = Unique();
        var result = await ImportAsync(
            new { url = "https://example.com/made", title = $"Claimed {suffix}", createdAt = "2013-01-01T00:00:00Z" },
            new { id = Guid.NewGuid(), slug = $"claimed-{suffix}", url = "https://example.com/brought", title = "Brought", createdAt = "2013-01-02T00:00:00Z" });

        var ids = result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal($"claimed-{suffix}-2", (await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{ids[0]}")).GetProperty("slug").GetString());
        Assert.Equal($"claimed-{suffix}", (await _author.GetFromJsonAsync<JsonElement>($"/api/posts/{ids[1]}")).GetProperty("slug").GetString());
    }

    /// <summary>Lower-case letters and digits, so it fits in a slug; posts of one server must not share slugs.</summary>
    private static string Unique() => Guid.NewGuid().ToString("N")[..12];

    private static string Errors(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    private async Task<JsonElement> ImportAsync(params object[] items)
    {
        var response = await _author.PostAsJsonAsync("/api/posts/batch", new { items });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"import failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
