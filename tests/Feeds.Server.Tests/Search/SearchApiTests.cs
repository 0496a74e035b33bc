using System.Net;
using System.Net.Http.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

public sealed class SearchApiTests : IClassFixture<ServerFixture>
{
    private readonly HttpClient _author;
    private readonly HttpClient _anonymous;

    public SearchApiTests(ServerFixture fixture)
    {
        _author = fixture.Server.CreateAuthorizedClient();
        _anonymous = fixture.Server.CreateClient();
    }

    [Fact]
    public async Task Every_word_must_match_and_a_star_matches_the_start_of_a_word()
    {
        await Create("Alpaca wool socks", "Warm and soft.");
        await Create("Alpaca farming", "Wooly business.");
        await Create("Llama wool", "Not an alpaca.");

        Assert.Equal(["Alpaca wool socks", "Llama wool"], (await _anonymous.TitlesAsync("wool alpaca")).Order());
        Assert.Equal(3, (await _anonymous.TitlesAsync("alpaca wool*")).Count);
        Assert.Empty(await _anonymous.TitlesAsync("alpaca wool zebra"));
    }

    [Fact]
    public async Task A_phrase_matches_only_its_words_in_that_order()
    {
        await Create("Quokka facts", "Quokkas smile often.");
        await Create("Quokka myths", "Often they smile, quokkas.");

        Assert.Equal(["Quokka facts"], await _anonymous.TitlesAsync("\"quokkas smile often\""));
    }

    [Fact]
    public async Task A_minus_word_leaves_out_the_posts_that_have_it()
    {
        await Create("Narwhal tusks", "Teeth, really.");
        await Create("Narwhal songs", "Clicks and whistles.");

        Assert.Equal(["Narwhal tusks"], await _anonymous.TitlesAsync("narwhal -whistles"));
        Assert.DoesNotContain(await _anonymous.TitlesAsync("-narwhal"), t => t.StartsWith("Narwhal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tag_and_site_filters_narrow_what_the_words_find()
    {
        await Create("Gecko feet", "Sticky.", url: "https://www.github.com/gecko", tags: ["Biology", "Lizards"]);
        await Create("Gecko eyes", "Lidless.", url: "https://gist.github.com/gecko", tags: ["Lizards"]);
        await Create("Gecko tails", "They drop.", url: "https://example.org/gecko", tags: ["Lizards"]);

        Assert.Equal(["Gecko feet"], await _anonymous.TitlesAsync("gecko tag:biology tag:lizards"));
        Assert.Equal(["Gecko eyes", "Gecko feet"], (await _anonymous.TitlesAsync("gecko site:github.com")).Order());
        Assert.Equal(["Gecko tails", "Gecko eyes"], await _anonymous.TitlesAsync("site:example.org site:gist.github.com"));
        Assert.Equal(["Gecko feet"], (await _anonymous.SearchAsync("gecko tag:lizards")).Where(p => p.GetProperty("tags").GetArrayLength() == 2).Select(p => p.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Before_and_after_filter_by_the_day_a_post_was_published()
    {
        var response = await _author.PostBatchAsync(
            Dated("Okapi in winter", new DateTimeOffset(2024, 12, 31, 23, 59, 0, TimeSpan.Zero)),
            Dated("Okapi in spring", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Dated("Okapi in summer", new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(["Okapi in winter"], await _anonymous.TitlesAsync("okapi before:2025-01-01"));
        Assert.Equal(["Okapi in summer"], await _anonymous.TitlesAsync("okapi after:2025-01-01"));
        Assert.Equal(["Okapi in spring"], await _anonymous.TitlesAsync("okapi after:2024-12-31 before:2025-01-02"));
    }

    [Fact]
    public async Task A_match_in_the_title_ranks_above_one_in_the_commentary_and_recency_breaks_ties()
    {
        await Create("Something else", "Mentions the tapir once.");
        await Create("Tapir", "All about them.");
        await Create("Other thing", "Mentions the tapir once.");

        Assert.Equal(["Tapir", "Other thing", "Something else"], await _anonymous.TitlesAsync("tapir"));
    }

    [Fact]
    public async Task Drafts_are_never_found_by_readers_while_the_author_finds_them()
    {
        await Create("Wombat draft", "Cube droppings.", status: "draft");
        await Create("Wombat published", "Burrows.");

        Assert.Equal(["Wombat published"], await _anonymous.TitlesAsync("wombat"));
        Assert.Empty(await _anonymous.TitlesAsync("wombat is:draft"));
        Assert.Empty(await _anonymous.TitlesAsync("cube droppings"));
        Assert.Equal(["Wombat published", "Wombat draft"], await _author.TitlesAsync("wombat"));
        Assert.Equal(["Wombat draft"], await _author.TitlesAsync("wombat is:draft"));
    }

    [Fact]
    public async Task Results_come_in_keyset_pages_that_neither_repeat_nor_skip()
    {
        for (var i = 0; i < 7; i++)
        {
            await Create($"Axolotl {i}", "Regrows limbs.");
        }

        var first = await (await _anonymous.GetAsync("/api/posts?q=axolotl&limit=3")).ReadJsonAsync();
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        Assert.NotNull(first.GetProperty("next").GetString());

        var paged = await _anonymous.SearchAsync("axolotl", limit: 3);
        var whole = await _anonymous.SearchAsync("axolotl");
        Assert.Equal(7, paged.Count);
        Assert.Equal(whole.Select(p => p.GetProperty("id").GetString()), paged.Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Edits_deletes_and_tag_renames_are_found_at_once()
    {
        var post = await Create("Pangolin scales", "Keratin.", tags: ["Scaly"]);
        var id = post.GetProperty("id").GetString();

        var edited = await _author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.com/p", title = "Pangolin diet", commentary = "Ants.", tags = new[] { "Scaly" }, status = "published" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Empty(await _anonymous.TitlesAsync("pangolin scales"));
        Assert.Equal(["Pangolin diet"], await _anonymous.TitlesAsync("pangolin ants"));

        Assert.Equal(HttpStatusCode.OK, (await _author.PostAsJsonAsync("/api/tags/scaly/rename", new { to = "Armoured" })).StatusCode);
        Assert.Equal(["Pangolin diet"], await _anonymous.TitlesAsync("tag:armoured"));
        Assert.Equal(["Pangolin diet"], await _anonymous.TitlesAsync("pangolin armoured"));
        Assert.Empty(await _anonymous.TitlesAsync("pangolin scaly"));

        Assert.Equal(HttpStatusCode.NoContent, (await _author.DeleteAsync($"/api/posts/{id}")).StatusCode);
        Assert.Empty(await _author.TitlesAsync("pangolin"));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(a b, 3)")]
    [InlineData("*")]
    [InlineData("**")]
    [InlineData("-")]
    [InlineData("\"")]
    [InlineData("a AND OR NOT b")]
    [InlineData("title:x OR ^y")]
    [InlineData("(((")]
    [InlineData("') or 1=1 --")]
    [InlineData("tag: site: before: after: is:")]
    [InlineData("site:% tag:%%")]
    [InlineData("before:9999-99-99 after:0000-00-00")]
    [InlineData("\u0000\uFFFF\uD800")]
    [InlineData("")]
    public async Task Hostile_queries_answer_results_or_nothing_never_an_error(string q)
    {
        await Create("Hostile query target", "a b x y");

        var response = await _author.GetAsync($"/api/posts?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, (await response.ReadJsonAsync()).GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task A_long_query_is_answered_and_one_beyond_the_request_line_is_refused_as_too_long()
    {
        await Create("Quetzal feathers", "Green.");
        var hostile = string.Concat(Enumerable.Repeat("quetzal NEAR( -*\"", 1_000));

        var answered = await _anonymous.GetAsync($"/api/posts?q={Uri.EscapeDataString(hostile[..5_000])}");
        var refused = await _anonymous.GetAsync($"/api/posts?q={Uri.EscapeDataString(hostile[..10_000])}");

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, refused.StatusCode);
    }

    [Fact]
    public async Task A_cursor_of_another_list_status_and_sourceId_are_refused_with_a_search()
    {
        var problem = await (await _anonymous.GetAsync("/api/posts?q=x&cursor=nonsense&status=draft&sourceId=3&limit=0")).AssertProblemAsync(400);

        Assert.Equal(["cursor", "limit", "sourceId", "status"], problem.ErrorFields().Order());
    }

    private Task<System.Text.Json.JsonElement> Create(string title, string commentary, string? url = null, string[]? tags = null, string status = "published") =>
        _author.CreateAsync(new { url = url ?? $"https://example.com/{Guid.NewGuid():N}", title, commentary, tags = tags ?? [], status });

    private static object Dated(string title, DateTimeOffset at) => new
    {
        url = $"https://example.com/{Guid.NewGuid():N}",
        title,
        commentary = "",
        status = "published",
        createdAt = at,
        publishedAt = at,
    };
}
