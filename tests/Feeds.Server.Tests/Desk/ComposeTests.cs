using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.Desk;

/// <summary>The compose form, used as a browser without JavaScript uses it, and the questions its script asks.</summary>
public sealed class ComposeTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private DeskBrowser Desk => fixture.Desk;

    [Fact]
    public async Task The_form_published_without_javascript_puts_the_post_in_the_firehose()
    {
        var url = $"https://example.org/articles/{Guid.NewGuid():N}";
        var response = await Desk.SubmitAsync("/desk/new", "/desk/new",
            ("url", url), ("title", "Posted from the desk"), ("commentary", "A *fine* read."), ("tags", "desk, Testing"),
            ("viaUrl", "https://via.example/"), ("viaTitle", "Via Example"), ("action", "publish"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await Desk.GetPageAsync(response.Headers.Location!.ToString());
        Assert.Contains("Published", saved);
        var post = (await fixture.Author.GetFromJsonAsync<JsonElement>("/api/posts?status=published&limit=1")).GetProperty("items")[0];
        Assert.Equal(url, post.GetProperty("url").GetString());
        Assert.Equal(["desk", "Testing"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Via Example", post.GetProperty("via").GetProperty("title").GetString());
        await WaitUntilAsync(async () => (await fixture.Author.GetStringAsync("/everything.atom")).Contains(url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bookmarklets_query_fills_the_form_with_the_link_its_title_and_the_selection_as_a_quote()
    {
        var page = await Desk.GetPageAsync("/desk/new?url=" + Uri.EscapeDataString("https://example.org/a?b=1&c=2")
            + "&title=" + Uri.EscapeDataString("A <page> & more") + "&text=" + Uri.EscapeDataString("First line\nsecond line") + "&popup=true");

        Assert.Contains("value=\"https://example.org/a?b=1&amp;c=2\"", page);
        Assert.Contains("value=\"A &lt;page&gt; &amp; more\"", page);
        Assert.Contains(">&gt; First line&#xA;&gt; second line&#xA;&#xA;</textarea>", page);
        Assert.Contains("name=\"popup\" value=\"true\"", page);
    }

    [Fact]
    public async Task A_phones_share_menu_sending_the_link_inside_the_text_fills_the_url()
    {
        var page = await Desk.GetPageAsync("/desk/new?title=Shared&text=" + Uri.EscapeDataString("Look at this https://example.org/shared"));

        Assert.Contains("id=\"url\" name=\"url\" type=\"url\" value=\"https://example.org/shared\"", page);
        Assert.Contains(">&gt; Look at this&#xA;&#xA;</textarea>", page);
    }

    [Fact]
    public async Task A_title_left_empty_is_taken_from_the_pages_og_title()
    {
        fixture.Upstream.Page("og-page", "<!DOCTYPE html><html><head><title>Plain title</title><meta property=\"og:title\" content=\"  The OG   title \"></head><body></body></html>");
        var url = fixture.Upstream.Url("og-page");

        var answer = await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/title?url=" + Uri.EscapeDataString(url));
        var response = await Desk.SubmitAsync("/desk/new", "/desk/new", ("url", url), ("title", ""), ("action", "draft"));

        Assert.Equal("The OG title", answer.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Saved &quot;The OG title&quot; as a draft", await Desk.GetPageAsync(response.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task A_page_too_slow_to_give_its_title_leaves_the_form_asking_for_one_within_three_seconds()
    {
        fixture.Upstream.Route("slow-page", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync("<title>Too late</title>");
        });
        var before = await fixture.Author.CountAsync();
        var page = await Desk.GetPageAsync("/desk/new");

        var clock = Stopwatch.StartNew();
        var response = await Desk.PostAsync("/desk/new",
            ("url", fixture.Upstream.Url("slow-page")), ("title", ""), ("action", "publish"), ("__RequestVerificationToken", DeskBrowser.TokenIn(page)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the page gave none, so type one", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await fixture.Author.CountAsync());
    }

    [Fact]
    public async Task Bad_input_is_shown_again_naming_each_field_and_nothing_is_stored()
    {
        var before = await fixture.Author.CountAsync();
        var response = await Desk.SubmitAsync("/desk/new", "/desk/new",
            ("url", "ftp://example.org/x"), ("title", "Kept as typed"), ("commentary", "my words"), ("viaUrl", "not a url"), ("action", "publish"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#url\">URL:</a>", html);
        Assert.Contains("<a href=\"#viaUrl\">Via URL:</a>", html);
        Assert.Contains("id=\"url\" name=\"url\" type=\"url\" value=\"ftp://example.org/x\" required autocomplete=\"off\" data-url aria-invalid=\"true\"", html);
        Assert.Contains(">my words</textarea>", html);
        Assert.Equal(before, await fixture.Author.CountAsync());
    }

    [Fact]
    public async Task Scheduling_needs_a_time_to_come_and_then_schedules()
    {
        var url = $"https://example.org/later/{Guid.NewGuid():N}";
        var past = await Desk.SubmitAsync("/desk/new", "/desk/new", ("url", url), ("title", "Later"), ("at", "2001-01-01T10:00"), ("action", "schedule"));
        var missing = await Desk.SubmitAsync("/desk/new", "/desk/new", ("url", url), ("title", "Later"), ("at", ""), ("action", "schedule"));
        var future = await Desk.SubmitAsync("/desk/new", "/desk/new", ("url", url), ("title", "Later"), ("at", "2999-01-01T10:00"), ("offset", "60"), ("action", "schedule"));

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("must be in the future", await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, future.StatusCode);
        var post = (await fixture.Author.GetFromJsonAsync<JsonElement>("/api/posts?status=scheduled&limit=1")).GetProperty("items")[0];
        Assert.Equal(url, post.GetProperty("url").GetString());
        Assert.Equal(new DateTimeOffset(2999, 1, 1, 9, 0, 0, TimeSpan.Zero), post.GetProperty("publishAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_preview_shows_the_commentary_as_the_feed_entry_renders_it_with_or_without_javascript()
    {
        var fields = new[] { ("url", "https://example.org/preview"), ("title", "Preview me"), ("commentary", "**bold** <script>alert(1)</script>"), ("tags", "previewing"), ("action", "preview") };
        var before = await fixture.Author.CountAsync();

        var page = await Desk.SubmitAsync("/desk/new", "/desk/new", fields);
        var html = await page.Content.ReadAsStringAsync();
        var form = await Desk.GetPageAsync("/desk/new");
        var json = await Desk.Client.PostAsync("/desk/api/preview", new FormUrlEncodedContent(
            [.. fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)), KeyValuePair.Create("__RequestVerificationToken", DeskBrowser.TokenIn(form))]));
        var preview = (await json.ReadJsonAsync()).GetProperty("html").GetString()!;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("<strong>bold</strong>", preview);
        Assert.Contains("previewing", preview);
        Assert.Contains("https://example.org/preview", preview);
        Assert.DoesNotContain("<script", preview);
        Assert.Equal(before, await fixture.Author.CountAsync());
    }

    [Fact]
    public async Task A_link_posted_before_is_recognised_however_it_is_written_and_the_earlier_posts_linked()
    {
        var earlier = await fixture.Author.CreateAsync(new { url = "https://Example.org:443/story/?id=7&utm_source=rss#top", title = "The first time" });

        var page = await Desk.GetPageAsync("/desk/new?url=" + Uri.EscapeDataString("https://example.org/story?utm_medium=x&id=7"));
        var answer = await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/links?url=" + Uri.EscapeDataString("HTTPS://EXAMPLE.ORG/story/?id=7"));
        var other = await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/links?url=" + Uri.EscapeDataString("https://example.org/story?id=8"));

        Assert.Contains("This link was posted before", page);
        Assert.Contains(earlier.GetProperty("permalink").GetString()!, page);
        Assert.Equal("The first time", answer.GetProperty("posts")[0].GetProperty("title").GetString());
        Assert.Empty(other.GetProperty("posts").EnumerateArray());
    }

    [Fact]
    public async Task Tags_are_suggested_from_those_in_use_with_their_counts_most_used_first()
    {
        await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("One", "Pythonic", "Python"));
        await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Two", "Python"));
        await fixture.Author.CreateAsync(new { url = "https://example.org/d", title = "Draft", tags = new[] { "Python" }, status = "draft" });

        var answer = await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/tags?q=" + Uri.EscapeDataString("news, Pyth"));
        var tags = answer.GetProperty("tags").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("posts").GetInt64())).ToList();

        Assert.Equal([("Python", 3L), ("Pythonic", 1L)], tags);
    }

    [Fact]
    public async Task Tag_suggestions_leave_out_deleted_posts_and_see_each_change_at_once()
    {
        var kept = await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Kept", "Obscure Topic"));
        var deleted = await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Deleted", "Obscure Topic"));
        Assert.Equal(2L, await SuggestedCountAsync("obscure"));

        (await fixture.Author.DeleteAsync($"/api/posts/{deleted.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        Assert.Equal(1L, await SuggestedCountAsync("obscure"));

        (await fixture.Author.DeleteAsync($"/api/posts/{kept.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        Assert.Equal(0L, await SuggestedCountAsync("obscure"));
    }

    [Fact]
    public async Task While_the_desk_suggests_tags_a_change_has_the_counts_read_again_before_the_next_keystroke()
    {
        await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/tags?q=a");
        var readsBefore = BackgroundReads();

        await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Read in the background", "Background Reading"));

        await WaitUntilAsync(() => Task.FromResult(BackgroundReads() > readsBefore));
        Assert.Equal(1L, await SuggestedCountAsync("background-r"));
    }

    private int BackgroundReads() =>
        fixture.Server.Logs.Entries.Count(e => e.Category == typeof(Server.Desk.TagSuggestions).FullName
                                               && e.Values.ContainsKey("Milliseconds"));

    private async Task<long> SuggestedCountAsync(string typed)
    {
        var answer = await Desk.Client.GetFromJsonAsync<JsonElement>("/desk/api/tags?q=" + Uri.EscapeDataString(typed));
        return answer.GetProperty("tags").EnumerateArray().Single().GetProperty("posts").GetInt64();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition did not come true within 10 s");
            await Task.Delay(50);
        }
    }
}
