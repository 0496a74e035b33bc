using System.Net;
using Feeds.Server.Tests.Desk;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

/// <summary>
/// <c>/desk/search</c>: the signed-in author finds drafts and scheduled posts beside published ones; readers, even on a
/// browser that holds the author's session, find published posts only.
/// </summary>
public sealed class DeskSearchTests(DeskSearchTests.Desk fixture) : IClassFixture<DeskSearchTests.Desk>
{
    private DeskBrowser Browser => fixture.Browser;

    [Fact]
    public async Task The_desk_finds_drafts_scheduled_and_published_posts_each_linked_to_its_editor()
    {
        var draft = await fixture.Author.CreateAsync(new { url = "https://example.org/otter-draft", title = "Otter draft", status = "draft" });
        var scheduled = await fixture.Author.CreateAsync(new { url = "https://example.org/otter-later", title = "Otter later", publishAt = new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var published = await fixture.Author.CreateAsync(new { url = "https://example.org/otter", title = "Otter published", commentary = "An otter & a <b>raft</b>." });

        var html = await Browser.GetPageAsync("/desk/search?q=otter");

        Assert.Contains($"<a href=\"/desk/posts/{draft.GetProperty("id").GetString()}/edit\">Otter draft</a>", html);
        Assert.Contains($"<a href=\"/desk/posts/{scheduled.GetProperty("id").GetString()}/edit\">Otter later</a>", html);
        Assert.Contains($"<a href=\"/desk/posts/{published.GetProperty("id").GetString()}/edit\">Otter published</a>", html);
        Assert.Contains($"<a href=\"{published.GetProperty("permalink").GetString()}\">permalink</a>", html);
        Assert.Contains("<span class=\"status status-draft\">draft</span>", html);
        Assert.Contains("<span class=\"status status-scheduled\">scheduled</span>", html);
        Assert.Contains("An <mark>otter</mark> &amp; a &lt;b&gt;raft&lt;/b&gt;.", html);
    }

    [Fact]
    public async Task Is_draft_narrows_the_desk_search_to_drafts_with_their_tags_as_facets()
    {
        await fixture.Author.CreateAsync(new { url = "https://example.org/vole-draft", title = "Vole draft", status = "draft", tags = new[] { "Hidden Rodents" } });
        await fixture.Author.CreateAsync(new { url = "https://example.org/vole", title = "Vole published", tags = new[] { "Rodents" } });

        var html = await Browser.GetPageAsync("/desk/search?q=" + Uri.EscapeDataString("vole is:draft"));

        Assert.Contains("Vole draft", html);
        Assert.DoesNotContain("Vole published", html);
        Assert.Contains("href=\"/desk/search?q=vole%20is%3Adraft%20tag%3Ahidden-rodents\">Hidden Rodents</a> (1)", html);
    }

    [Fact]
    public async Task Readers_find_no_draft_through_the_public_page_the_api_or_a_feed_even_with_the_authors_session()
    {
        await fixture.Author.CreateAsync(new { url = "https://example.org/shrew", title = "Shrew secret", status = "draft", tags = new[] { "Secret Shrews" } });

        var page = await Browser.GetPageAsync("/search?q=shrew");
        var drafts = await Browser.GetPageAsync("/search?q=" + Uri.EscapeDataString("is:draft"));
        var api = await fixture.Server.CreateClient().SearchAsync("is:draft shrew");
        var feed = await Browser.Client.GetStringAsync("/search.atom?q=shrew");

        Assert.DoesNotContain("Shrew secret", page);
        Assert.DoesNotContain("Secret Shrews", page);
        Assert.DoesNotContain("Shrew secret", drafts);
        Assert.Empty(api);
        Assert.DoesNotContain("Shrew secret", feed);
    }

    [Fact]
    public async Task Results_past_a_page_are_linked_as_more_results()
    {
        for (var i = 0; i < 31; i++)
        {
            await fixture.Author.CreateAsync(new { url = $"https://example.org/mole/{i}", title = $"Mole {i}", status = "draft" });
        }

        var first = await Browser.GetPageAsync("/desk/search?q=mole");
        var next = System.Text.RegularExpressions.Regex.Match(first, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value;
        var second = await Browser.GetPageAsync(WebUtility.HtmlDecode(next));

        Assert.Equal(30, System.Text.RegularExpressions.Regex.Count(first, "<article"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(second, "<article"));
    }

    [Fact]
    public async Task The_desks_navigation_leads_to_its_search()
    {
        var html = await Browser.GetPageAsync("/desk");

        Assert.Contains("<li><a href=\"/desk/search\">Search</a></li>", html);
    }

    [Fact]
    public async Task A_bad_position_is_a_400_page()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser.GetAsync("/desk/search?q=x&after=nonsense")).StatusCode);
    }

    /// <summary>A server with the author signed in on a browser of their own.</summary>
    public sealed class Desk : ServerFixture
    {
        public DeskBrowser Browser { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            Browser = new DeskBrowser(Server);
            await Browser.SignInAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            Browser.Dispose();
            await base.DisposeAsync();
        }
    }
}
