using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Sources;

namespace Feeds.Server.Tests.Desk;

/// <summary>The drafts queue, editing and deleting in place, the sources page, and forms forged on another site.</summary>
public sealed class DraftsAndEditingTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private static readonly DateTimeOffset ItemDate = new(2999, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private DeskBrowser Desk => fixture.Desk;

    [Fact]
    public async Task The_queue_shows_drafts_from_sources_and_the_authors_own_with_counts_and_filters()
    {
        var source = await FollowAsync("queue", 3, "Queue Feed");
        var own = await fixture.Author.CreateAsync(new { url = "https://example.org/own-draft", title = "My own draft", status = "draft" });

        var all = await Desk.GetPageAsync("/desk/drafts");
        var bySource = await Desk.GetPageAsync($"/desk/drafts?source={source}");
        var mine = await Desk.GetPageAsync("/desk/drafts?source=own");

        Assert.Contains("queue item 1", all);
        Assert.Contains("My own draft", all);
        Assert.Contains("Summary of queue item 1", all);
        Assert.Matches($"href=\"/desk/drafts\\?source={source}\"[^>]*>Queue Feed <span class=\"count\">\\(3\\)</span>", all);
        Assert.Contains("queue item 2", bySource);
        Assert.DoesNotContain("My own draft", bySource);
        Assert.Contains("My own draft", mine);
        Assert.DoesNotContain("queue item 1", mine);
        Assert.Contains($"href=\"/desk/posts/{own.GetProperty("id").GetString()}/edit\"", mine);
        Assert.Contains("data-keys-help", all);
    }

    [Fact]
    public async Task A_sources_count_follows_its_drafts_as_they_are_published_and_discarded()
    {
        var source = await FollowAsync("counted", 3, "Counted Feed");
        var drafts = (await fixture.Author.GetFromJsonAsync<JsonElement>($"/api/posts?status=draft&sourceId={source}"))
            .GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(3, drafts.Count);
        Assert.Equal(3, await CountOnQueueAsync("Counted Feed"));

        await Desk.SubmitAsync("/desk/drafts", $"/desk/drafts/{drafts[0]}/publish", ("commentary", "Counted."));
        Assert.Equal(2, await CountOnQueueAsync("Counted Feed"));

        await Desk.SubmitAsync("/desk/drafts", $"/desk/drafts/{drafts[1]}/discard");
        Assert.Equal(1, await CountOnQueueAsync("Counted Feed"));
    }

    [Fact]
    public async Task The_queue_pages_newest_first_without_repeating_or_losing_a_draft()
    {
        var source = await FollowAsync("paged", 60, "Paged Feed");

        var first = await Desk.GetPageAsync($"/desk/drafts?source={source}");
        var next = System.Text.RegularExpressions.Regex.Match(first, "href=\"(/desk/drafts\\?source=[^\"]+)\" rel=\"next\"").Groups[1].Value;
        var second = await Desk.GetPageAsync(WebUtility.HtmlDecode(next));

        var titles = System.Text.RegularExpressions.Regex.Matches(first + second, ">paged item (\\d+)</a></h2>").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 60), titles);
        Assert.DoesNotContain("rel=\"next\"", second);
    }

    [Fact]
    public async Task A_draft_published_from_the_queue_takes_its_commentary_and_goes_public()
    {
        var draft = await fixture.Author.CreateAsync(new { url = "https://example.org/to-publish", title = "To publish", status = "draft" });
        var id = draft.GetProperty("id").GetString();

        var response = await Desk.SubmitAsync("/desk/drafts", $"/desk/drafts/{id}/publish", ("commentary", "Read *this*."), ("returnUrl", "/desk/drafts?source=own"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/desk/drafts?source=own", response.Headers.Location!.ToString());
        var post = await fixture.Author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
        Assert.Equal("published", post.GetProperty("status").GetString());
        Assert.Equal("Read *this*.", post.GetProperty("commentary").GetString());
    }

    [Fact]
    public async Task A_discarded_draft_is_gone_and_a_returnUrl_elsewhere_is_not_followed()
    {
        var draft = await fixture.Author.CreateAsync(new { url = "https://example.org/to-discard", title = "To discard", status = "draft" });
        var id = draft.GetProperty("id").GetString();

        var response = await Desk.SubmitAsync("/desk/drafts", $"/desk/drafts/{id}/discard", ("returnUrl", "https://evil.example/"));

        Assert.Equal("/desk/drafts", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Author.GetAsync($"/api/posts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Drafts_reach_no_anonymous_reader_through_any_page()
    {
        var draft = await fixture.Author.CreateAsync(new { url = "https://example.org/secret", title = "Secret draft", tags = new[] { "Unannounced" }, status = "draft" });
        var slug = draft.GetProperty("slug").GetString();
        var created = draft.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime;
        using var reader = new HttpClient { BaseAddress = fixture.Server.Address };

        foreach (var path in new[] { "/", "/tags/unannounced", $"/{created:yyyy}/{created:MM}/{created:dd}/{slug}", "/everything.atom", "/everything.json", "/api/posts", "/desk/drafts" })
        {
            var body = await reader.GetStringAsync(path).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "");
            Assert.DoesNotContain("Secret draft", body);
        }
    }

    [Fact]
    public async Task The_author_sees_edit_and_delete_on_a_permalink_and_readers_do_not()
    {
        var post = await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Editable post"));
        var id = post.GetProperty("id").GetString();
        var permalink = new Uri(post.GetProperty("permalink").GetString()!).AbsolutePath;
        using var reader = new HttpClient { BaseAddress = fixture.Server.Address };

        var asAuthor = await Desk.GetPageAsync(permalink);
        var asReader = await reader.GetStringAsync(permalink);
        var afterAuthor = await reader.GetStringAsync(permalink);

        Assert.Contains($"href=\"/desk/posts/{id}/edit\"", asAuthor);
        Assert.Contains($"href=\"/desk/posts/{id}/delete\"", asAuthor);
        Assert.DoesNotContain("/desk/posts/", asReader);
        Assert.DoesNotContain("/desk/posts/", afterAuthor);
    }

    [Fact]
    public async Task Editing_from_a_permalink_uses_the_compose_form_and_changes_the_post()
    {
        var post = await fixture.Author.CreateAsync(new { url = "https://example.org/edit-me", title = "Before", commentary = "old", tags = new[] { "one" } });
        var id = post.GetProperty("id").GetString();

        var form = await Desk.GetPageAsync($"/desk/posts/{id}/edit");
        var response = await Desk.PostAsync($"/desk/posts/{id}/edit",
            ("url", "https://example.org/edit-me"), ("title", "After"), ("commentary", "new words"), ("tags", "one, two"), ("action", "publish"),
            ("__RequestVerificationToken", DeskBrowser.TokenIn(form)));

        Assert.Contains("value=\"Before\"", form);
        Assert.Contains(">old</textarea>", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var edited = await fixture.Author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
        Assert.Equal("After", edited.GetProperty("title").GetString());
        Assert.Equal("new words", edited.GetProperty("commentary").GetString());
        Assert.Equal(["one", "two"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Deleting_asks_for_confirmation_first()
    {
        var post = await fixture.Author.CreateAsync(Infrastructure.Posts.Valid("Delete me"));
        var id = post.GetProperty("id").GetString();

        var confirm = await Desk.GetPageAsync($"/desk/posts/{id}/delete");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Author.GetAsync($"/api/posts/{id}")).StatusCode);
        var response = await Desk.PostAsync($"/desk/posts/{id}/delete", ("__RequestVerificationToken", DeskBrowser.TokenIn(confirm)));

        Assert.Contains("Delete this post?", confirm);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Author.GetAsync($"/api/posts/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_form_forged_on_another_site_is_refused_even_with_the_authors_cookie()
    {
        var draft = await fixture.Author.CreateAsync(new { url = "https://example.org/forged", title = "Not to be touched", status = "draft" });
        var id = draft.GetProperty("id").GetString();
        using var stranger = new DeskBrowser(fixture.Server);
        var strangersToken = DeskBrowser.TokenIn(await stranger.GetPageAsync("/desk/sign-in"));

        var withoutToken = await Desk.PostAsync($"/desk/drafts/{id}/discard");
        var withAnothersToken = await Desk.PostAsync("/desk/new", ("url", "https://example.org/forged-new"), ("title", "Forged"), ("action", "publish"), ("__RequestVerificationToken", strangersToken));
        var signOut = await Desk.PostAsync("/desk/sign-out");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withAnothersToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Author.GetAsync($"/api/posts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Desk.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task Desk_pages_are_never_stored_and_carry_the_sites_content_policy()
    {
        var response = await Desk.GetAsync("/desk/drafts");

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("form-action 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Sources_are_followed_refreshed_and_removed_on_the_desk_with_their_fetch_state()
    {
        fixture.Upstream.Feed("desk-source.xml", TestFeeds.Rss("Desk Source", "https://desk-source.example/", []));
        var url = fixture.Upstream.Url("desk-source.xml");

        var added = await Desk.SubmitAsync("/desk/sources", "/desk/sources", ("url", url), ("tags", "reading"), ("mode", "draft"));
        var page = await added.Content.ReadAsStringAsync();
        var id = (await fixture.Author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("url").GetString() == url).GetProperty("id").GetInt64();
        fixture.Upstream.Status("desk-source.xml", 500);
        var refreshed = await (await Desk.SubmitAsync("/desk/sources", $"/desk/sources/{id}/refresh")).Content.ReadAsStringAsync();
        var removed = await Desk.SubmitAsync("/desk/sources", $"/desk/sources/{id}/remove");

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("Following Desk Source.", page);
        Assert.Contains("read (200)", page);
        Assert.Contains("Next check", page);
        Assert.Contains("HTTP 500", refreshed);
        Assert.Contains("Last error", refreshed);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Author.GetAsync($"/api/sources/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_source_that_cannot_be_followed_is_shown_again_with_the_reason()
    {
        var response = await Desk.SubmitAsync("/desk/sources", "/desk/sources", ("url", "not a url"), ("mode", "draft"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("url:", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_uploaded_opml_file_follows_its_feeds()
    {
        var feed = fixture.Upstream.Url("opml-feed.xml");
        var page = await Desk.GetPageAsync("/desk/sources");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(DeskBrowser.TokenIn(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"<opml version=\"2.0\"><body><outline text=\"Tech\"><outline text=\"A\" xmlUrl=\"{feed}\"/><outline text=\"Bad\" xmlUrl=\"ftp://x\"/></outline></body></opml>")), "opml", "subs.opml" },
        };

        var response = await Desk.Client.PostAsync("/desk/sources/import", upload);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Imported 1 of 2 feeds", html);
        Assert.Contains("ftp://x", html);
        Assert.Contains((await fixture.Author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").EnumerateArray(),
            s => s.GetProperty("url").GetString() == feed);
    }

    /// <summary>The count the queue's filters show beside the source named <paramref name="name"/>.</summary>
    private async Task<int> CountOnQueueAsync(string name) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(
            await Desk.GetPageAsync("/desk/drafts"), $">{name} <span class=\"count\">\\((\\d+)\\)</span>").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Follows a feed of <paramref name="count"/> items dated after the source was added, so each becomes a draft.</summary>
    private async Task<long> FollowAsync(string prefix, int count, string title)
    {
        var items = Enumerable.Range(1, count).Select(n =>
            new TestItem($"{prefix}-{n}", $"{prefix} item {n}", $"https://example.com/{prefix}/{n}", ItemDate.AddMinutes(-n), $"Summary of {prefix} item {n}."));
        fixture.Upstream.Feed($"{prefix}.xml", TestFeeds.Rss(title, $"https://{prefix}.example/", items));
        var source = await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url($"{prefix}.xml"), mode = "draft" });
        return source.GetProperty("id").GetInt64();
    }
}
