using System.Net;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

public sealed class SearchPageTests : IClassFixture<ServerFixture>
{
    private readonly HttpClient _author;
    private readonly HttpClient _anonymous;

    public SearchPageTests(ServerFixture fixture)
    {
        _author = fixture.Server.CreateAuthorizedClient();
        _anonymous = fixture.Server.CreateClient();
    }

    [Fact]
    public async Task The_page_shows_published_results_with_escaped_highlighted_snippets()
    {
        await _author.CreateAsync(new { url = "https://example.com/m1", title = "Marmot <b>burrows</b>", commentary = "Deep marmot tunnels & <script>x()</script>", tags = new[] { "Rodents" }, status = "published" });
        await _author.CreateAsync(new { url = "https://example.com/m2", title = "Marmot secrets", commentary = "Hidden.", status = "draft" });

        var html = await _anonymous.GetStringAsync("/search?q=marmot");

        Assert.Contains("<mark>Marmot</mark> &lt;b&gt;burrows&lt;/b&gt; — Deep <mark>marmot</mark> tunnels &amp; &lt;script&gt;", html);
        Assert.DoesNotContain("<script>x()", html);
        Assert.DoesNotContain("Marmot secrets", html);
    }

    [Fact]
    public async Task Facets_list_the_tags_of_every_result_with_counts_and_link_to_a_narrower_search()
    {
        for (var i = 0; i < 3; i++)
        {
            await _author.CreateAsync(new { url = $"https://example.com/b{i}", title = $"Beaver dam {i}", commentary = "", tags = i == 0 ? new[] { "Rivers", "Wood" } : new[] { "Rivers" }, status = "published" });
        }

        await _author.CreateAsync(new { url = "https://example.com/b9", title = "Beaver draft", commentary = "", tags = new[] { "Secret" }, status = "draft" });

        var html = await _anonymous.GetStringAsync("/search?q=beaver");

        Assert.Contains("href=\"/search?q=beaver%20tag%3Arivers\">Rivers</a> (3)", html);
        Assert.Contains(">Wood</a> (1)", html);
        Assert.DoesNotContain("Secret", html);
    }

    [Fact]
    public async Task Results_past_a_page_are_linked_as_more_results()
    {
        for (var i = 0; i < 31; i++)
        {
            await _author.CreateAsync(new { url = $"https://example.com/c{i}", title = $"Capybara {i}", commentary = "", status = "published" });
        }

        var first = await _anonymous.GetStringAsync("/search?q=capybara");
        var next = System.Text.RegularExpressions.Regex.Match(first, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var second = await _anonymous.GetStringAsync(next);

        Assert.Equal(30, System.Text.RegularExpressions.Regex.Count(first, "<article"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(second, "<article"));
    }

    [Fact]
    public async Task A_bad_position_is_a_400_page()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _anonymous.GetAsync("/search?q=x&after=nonsense")).StatusCode);
    }
}
