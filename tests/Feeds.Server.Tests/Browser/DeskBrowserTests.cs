using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Desk;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Sources;
using Microsoft.Playwright;

namespace Feeds.Server.Tests.Browser;

/// <summary>The desk in a real Chromium: signing in, the bookmarklet, the keyboard, editing in place, forgery, no JavaScript, accessibility.</summary>
public sealed class DeskBrowserTests(DeskFixture site, Chromium chromium) : IClassFixture<DeskFixture>
{
    public static TheoryData<string> DeskPages => ["/desk", "/desk/new?url=https%3A%2F%2Fexample.org%2F&title=Example", "/desk/drafts", "/desk/sources", "/desk/password", "/desk/sign-in"];

    [Fact]
    public async Task The_first_visit_sets_a_password_with_the_admin_token_and_later_visits_sign_in_with_it()
    {
        await using var server = new FeedsServer();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(new Uri(server.Address, "/desk/drafts").ToString());
        Assert.EndsWith("/desk/sign-in?returnUrl=%2Fdesk%2Fdrafts", page.Url);
        await Chromium.ScreenshotAsync(page, "desk-set-up");
        await page.GetByLabel("Admin token").FillAsync(FeedsServer.AdminToken);
        await page.GetByLabel("New password").FillAsync(DeskBrowser.Password);
        await page.GetByLabel("The same password again").FillAsync(DeskBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        Assert.EndsWith("/desk/drafts", page.Url);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync(new Uri(server.Address, "/desk").ToString());
        await Chromium.ScreenshotAsync(page, "desk-sign-in");
        await page.GetByLabel("Password").FillAsync(DeskBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.EndsWith("/desk", page.Url);
        Assert.Equal("Desk", await page.Locator("h1").TextContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_bookmarklet_on_a_page_with_a_selection_opens_the_form_filled_in_and_publishing_puts_the_post_in_the_firehose()
    {
        var marker = Guid.NewGuid().ToString("N");
        site.Upstream.Page($"article-{marker}", $"<!DOCTYPE html><html><head><title>An article {marker}</title></head><body><p id=\"quote\">Measure twice, cut once.</p><p>Other text.</p></body></html>");
        var page = await SignedInPageAsync();
        await page.GotoAsync(Url("/desk"));
        var bookmarklet = await page.GetByRole(AriaRole.Link, new() { Name = "Post to" }).GetAttributeAsync("href");
        await Chromium.ScreenshotAsync(page, "desk-home");

        var article = site.Upstream.Url($"article-{marker}");
        await page.GotoAsync(article);
        await page.EvaluateAsync("() => { const r = document.createRange(); r.selectNodeContents(document.getElementById('quote')); getSelection().removeAllRanges(); getSelection().addRange(r); }");
        var popup = await page.RunAndWaitForPopupAsync(() => page.EvaluateAsync(Uri.UnescapeDataString(bookmarklet!["javascript:".Length..])));
        await popup.WaitForLoadStateAsync();

        Assert.Equal(article, await popup.GetByLabel("URL", new() { Exact = true }).InputValueAsync());
        Assert.Equal($"An article {marker}", await popup.Locator("#title").InputValueAsync());
        Assert.StartsWith("> Measure twice, cut once.", await popup.GetByLabel("Commentary").InputValueAsync());
        await Chromium.ScreenshotAsync(popup, "desk-bookmarklet-compose");
        var closed = new TaskCompletionSource();
        popup.Close += (_, _) => closed.TrySetResult();
        await popup.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(async () => (await site.Author.GetStringAsync("/everything.atom")).Contains(article, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_draft_is_published_and_another_discarded_with_the_keyboard_alone()
    {
        var keep = await site.Author.CreateAsync(new { url = $"https://example.org/{Guid.NewGuid():N}", title = "Keyboard keeper", status = "draft" });
        var drop = await site.Author.CreateAsync(new { url = $"https://example.org/{Guid.NewGuid():N}", title = "Keyboard dropper", status = "draft" });
        var page = await SignedInPageAsync();
        await page.GotoAsync(Url("/desk/drafts?source=own"));

        // The newest draft is selected first: "dropper" was made last.
        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("[data-keys-help]").IsVisibleAsync());
        await Chromium.ScreenshotAsync(page, "desk-drafts");
        await page.Keyboard.PressAsync("?");
        await page.Keyboard.PressAsync("d");
        await page.WaitForURLAsync("**/desk/drafts?source=own");
        await WaitUntilAsync(async () => (await site.Author.GetAsync($"/api/posts/{drop.GetProperty("id").GetString()}")).StatusCode == System.Net.HttpStatusCode.NotFound);

        await page.Locator($"#draft-{keep.GetProperty("id").GetString()}").WaitForAsync();
        await FocusDraftAsync(page, keep.GetProperty("id").GetString()!);
        await page.Keyboard.PressAsync("p");
        await page.Keyboard.TypeAsync("Typed *without* a mouse.");
        await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Control+Enter"), "**/publish");
        await page.WaitForLoadStateAsync();

        var kept = await site.Author.GetFromJsonAsync<JsonElement>($"/api/posts/{keep.GetProperty("id").GetString()}");
        Assert.Equal("published", kept.GetProperty("status").GetString());
        Assert.Equal("Typed *without* a mouse.", kept.GetProperty("commentary").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_post_is_edited_and_then_deleted_from_its_permalink()
    {
        var post = await site.Author.CreateAsync(new { url = $"https://example.org/{Guid.NewGuid():N}", title = "Edit me in place", tags = new[] { "Browsing" } });
        var page = await SignedInPageAsync();
        await page.GotoAsync(post.GetProperty("permalink").GetString()!);
        await Chromium.ScreenshotAsync(page, "public-permalink-signed-in");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit \"Edit me in place\"" }).ClickAsync();
        await page.Locator("#title").FillAsync("Edited in place");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();
        Assert.Contains("Published", await page.Locator("[data-saved]").TextContentAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "See the post" }).ClickAsync();
        Assert.Equal("Edited in place", await page.Locator("h1").TextContentAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete \"Edited in place\"" }).ClickAsync();
        Assert.Equal("Delete this post?", await page.Locator("h1").TextContentAsync());
        await Chromium.ScreenshotAsync(page, "desk-delete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await site.Author.GetAsync($"/api/posts/{post.GetProperty("id").GetString()}")).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_form_on_another_site_posting_to_the_desk_is_refused()
    {
        var marker = Guid.NewGuid().ToString("N");
        site.Upstream.Page($"forgery-{marker}",
            $"<!DOCTYPE html><html><head><title>Win a prize</title></head><body><form id=\"f\" method=\"post\" action=\"{Url("/desk/new")}\">"
            + $"<input name=\"url\" value=\"https://evil.example/{marker}\"><input name=\"title\" value=\"Forged\"><input name=\"action\" value=\"publish\"></form>"
            + "<button onclick=\"document.getElementById('f').submit()\">Claim</button></body></html>");
        var page = await SignedInPageAsync();

        await page.GotoAsync(site.Upstream.Url($"forgery-{marker}"));
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync(), Url("/desk/new"));
        await page.WaitForLoadStateAsync();

        Assert.Equal(400, response.Status);
        Assert.Equal("Form expired", await page.Locator("h1").TextContentAsync());
        Assert.DoesNotContain(marker, await site.Author.GetStringAsync("/api/posts?status=any&limit=200"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_compose_form_works_with_javascript_disabled()
    {
        var page = await SignedInPageAsync(javaScript: false);
        var url = $"https://example.org/no-script/{Guid.NewGuid():N}";

        await page.GotoAsync(Url("/desk/new"));
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(url);
        await page.Locator("#title").FillAsync("Without a script");
        await page.GetByLabel("Commentary").FillAsync("Plain **forms**.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        Assert.Equal("forms", await page.Locator("[data-preview-body] strong").First.TextContentAsync());
        await Chromium.ScreenshotAsync(page, "desk-compose-no-script-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();

        Assert.Contains("Published", await page.Locator("[data-saved]").TextContentAsync());
        Assert.Contains(url, await site.Author.GetStringAsync("/api/posts?limit=5"));
        await page.Context.CloseAsync();
    }

    /// <remarks>One signed-in visit per page, switched to dark and narrowed as loaded; axe-core runs in light at 1280 px and in dark at 390 px.</remarks>
    [Theory]
    [MemberData(nameof(DeskPages))]
    public async Task Each_desk_page_has_no_serious_or_critical_accessibility_violation_and_fits_390_pixels_in_both_schemes(string path)
    {
        await site.Author.CreateAsync(new { url = $"https://example.org/{Guid.NewGuid():N}", title = "A draft to show", status = "draft" });
        var page = await SignedInPageAsync();
        await page.GotoAsync(Url(path));
        var name = path.Trim('/').Split('?')[0].Replace('/', '-');

        await Chromium.ScreenshotAsync(page, $"{name}-1280-light");
        await Chromium.AssertAccessibleAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Chromium.ScreenshotAsync(page, $"{name}-1280-dark");

        await page.SetViewportSizeAsync(390, 900);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, $"{path} scrolls sideways at 390 px");
        await Chromium.ScreenshotAsync(page, $"{name}-390-dark");
        await Chromium.AssertAccessibleAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Chromium.ScreenshotAsync(page, $"{name}-390-light");
        await page.Context.CloseAsync();
    }

    private string Url(string path) => new Uri(site.Server.Address, path).ToString();

    /// <summary>A page in a context of its own, signed in through the form.</summary>
    private async Task<IPage> SignedInPageAsync(bool javaScript = true)
    {
        var page = await chromium.NewPageAsync(javaScript: javaScript);
        await page.GotoAsync(Url("/desk/sign-in"));
        await page.GetByLabel("Password").FillAsync(DeskBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/desk", new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            // What the page says is what tells a refused sign-in from a slow one.
            throw new TimeoutException($"signing in did not reach /desk within 30 s; at {page.Url} the page says: {await page.InnerTextAsync("body")}");
        }

        return page;
    }

    /// <summary>Moves the selection to a draft with j and k, as the author would.</summary>
    private static async Task FocusDraftAsync(IPage page, string id)
    {
        for (var i = 0; i < 50 && await page.EvaluateAsync<string>("document.activeElement.id") != $"draft-{id}"; i++)
        {
            await page.Keyboard.PressAsync("j");
        }

        Assert.Equal($"draft-{id}", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition did not come true within 10 s");
            await Task.Delay(50);
        }
    }
}
