using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

/// <summary>
/// A search by words alone that match more posts than <c>Feeds:Search:RankLimit</c> ranks the most recently added of
/// them; a tag, site or date in the search ranks every match. Here the limit is three.
/// </summary>
public sealed class SearchRankLimitTests(SearchRankLimitTests.Fixture fixture) : IClassFixture<SearchRankLimitTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feeds:Search:RankLimit"] = "3" };
    }

    private readonly HttpClient _author = fixture.Server.CreateAuthorizedClient();
    private readonly HttpClient _anonymous = fixture.Server.CreateClient();

    [Fact]
    public async Task Words_that_match_more_posts_than_the_limit_rank_the_newest_matches_best_first()
    {
        // The oldest is the best match by far, but four newer posts match too.
        await Create("Ocelot ocelot ocelot", "All about the ocelot.", ["Cats"]);
        await Create("Spotted cats", "An ocelot among others.", ["Cats"]);
        await Create("Night hunters", "The ocelot hunts at night.", []);
        await Create("Rainforest", "Ocelot territory is wide.", ["Cats"]);
        await Create("Ocelot kittens", "Born in dens.", []);

        var ranked = await _anonymous.TitlesAsync("ocelot");
        Assert.Equal(["Night hunters", "Ocelot kittens", "Rainforest"], ranked.Order());
        Assert.Equal("Ocelot kittens", ranked[0]);

        // One at a time, the pages hold the same three: the limit is the same on every page.
        Assert.Equal(ranked, [.. (await _anonymous.SearchAsync("ocelot", limit: 1)).Select(p => p.GetProperty("title").GetString()!)]);

        // A prefix of three letters is words alone too.
        Assert.Equal(3, (await _anonymous.TitlesAsync("oce*")).Count);

        // A tag narrows the search, and every match is ranked: the best comes first.
        var narrowed = await _anonymous.TitlesAsync("ocelot tag:cats");
        Assert.Equal(["Ocelot ocelot ocelot", "Rainforest", "Spotted cats"], narrowed.Order());
        Assert.Equal("Ocelot ocelot ocelot", narrowed[0]);

        // The author's search is limited the same way.
        Assert.Equal(3, (await _author.TitlesAsync("ocelot")).Count);
    }

    private Task<System.Text.Json.JsonElement> Create(string title, string commentary, string[] tags) =>
        _author.CreateAsync(new { url = $"https://example.com/{Guid.NewGuid():N}", title, commentary, tags, status = "published" });
}
