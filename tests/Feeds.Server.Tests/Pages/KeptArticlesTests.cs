using System.Net.Http.Json;
using Feeds.Server.Tests.Infrastructure;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// Pages show each post's article as rendered once and kept (<c>PostArticles</c>): whatever changes what an article
/// shows must show on the next page at once, on every page that showed the post before.
/// </summary>
public sealed class KeptArticlesTests : IDisposable
{
    private readonly FeedsServer _server = new(settings: new Dictionary<string, string?> { ["Feeds:BaseUrl"] = BaseUrl });
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public KeptArticlesTests()
    {
        _author = _server.CreateAuthorizedClient();
        _reader = new HttpClient { BaseAddress = _author.BaseAddress };
    }

    public void Dispose()
    {
        _reader.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task An_edited_post_shows_its_changes_on_every_page_that_showed_it_before()
    {
        var post = await _author.CreateAsync(new { url = "https://example.com/a", title = "Before", commentary = "Old words.", tags = new[] { "Python" } });
        var permalink = PathOf(post.GetProperty("permalink").GetString()!);
        string[] pages = ["/", "/tags/python", permalink];
        foreach (var path in pages)
        {
            Assert.Contains("Old words.", (await _reader.GetPageAsync(path)).QuerySelector("article .commentary")!.TextContent, StringComparison.Ordinal);
        }

        var patch = await _author.PatchAsync($"/api/posts/{post.GetProperty("id").GetString()}", JsonContent.Create(new
        {
            title = "After", commentary = "New *words*.", via = new { url = "https://friend.example/", title = "A friend" },
        }));
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());

        foreach (var path in pages)
        {
            var article = (await _reader.GetPageAsync(path)).QuerySelector("article.post")!;
            Assert.Equal("After", article.QuerySelector("h1 a, h2 a")?.TextContent);
            Assert.Equal("words", article.QuerySelector(".commentary em")?.TextContent);
            Assert.Equal("A friend", article.QuerySelector(".via a")?.TextContent);
        }
    }

    [Fact]
    public async Task A_renamed_tag_shows_its_new_name_in_the_articles_of_its_posts()
    {
        var post = await _author.CreateAsync(Infrastructure.Posts.Valid("Learning", "ML"));
        var permalink = PathOf(post.GetProperty("permalink").GetString()!);
        Assert.Equal("ML", (await _reader.GetPageAsync("/")).QuerySelector("article a[rel=tag]")?.TextContent);
        Assert.Equal("ML", (await _reader.GetPageAsync(permalink)).QuerySelector("article a[rel=tag]")?.TextContent);

        var rename = await _author.PostAsJsonAsync("/api/tags/ml/rename", new { to = "Machine Learning" });
        Assert.True(rename.IsSuccessStatusCode);

        foreach (var path in new[] { "/", permalink })
        {
            var tag = (await _reader.GetPageAsync(path)).QuerySelector("article a[rel=tag]")!;
            Assert.Equal(("Machine Learning", $"{BaseUrl}/tags/machine-learning"), (tag.TextContent, tag.GetAttribute("href")));
        }
    }
}
