using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Desk;

/// <summary>Every desk route is the signed-in author's: anonymous visitors are sent to sign in and change nothing.</summary>
public sealed class DeskAccessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private FeedsServer Server => fixture.Server;

    public static TheoryData<string> DeskPages => new()
    {
        "/desk",
        "/desk/new",
        "/desk/new?url=https%3A%2F%2Fexample.org%2F&title=T&text=quoted",
        "/desk/drafts",
        "/desk/drafts?source=own",
        "/desk/search?q=otter",
        "/desk/sources",
        "/desk/password",
        $"/desk/posts/{Guid.Empty}/edit",
        $"/desk/posts/{Guid.Empty}/delete",
        $"/desk/saved/{Guid.Empty}",
    };

    public static TheoryData<string> DeskQueries => new()
    {
        "/desk/api/title?url=https%3A%2F%2Fexample.org%2F",
        "/desk/api/tags?q=py",
        "/desk/api/links?url=https%3A%2F%2Fexample.org%2F",
    };

    public static TheoryData<string> DeskForms => new()
    {
        "/desk/new",
        $"/desk/posts/{Guid.Empty}/edit",
        $"/desk/posts/{Guid.Empty}/delete",
        $"/desk/drafts/{Guid.Empty}/publish",
        $"/desk/drafts/{Guid.Empty}/discard",
        "/desk/sources",
        "/desk/sources/1/refresh",
        "/desk/sources/1/remove",
        "/desk/password",
        "/desk/sign-out",
    };

    [Theory]
    [MemberData(nameof(DeskPages))]
    public async Task Anonymous_visitors_of_a_desk_page_are_sent_to_sign_in_and_back(string path)
    {
        using var browser = new DeskBrowser(Server);
        var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(Server.Address + "desk/sign-in?returnUrl=", location);
        Assert.Equal(path, Uri.UnescapeDataString(location[(location.IndexOf('=') + 1)..]));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [MemberData(nameof(DeskQueries))]
    public async Task Anonymous_questions_of_the_desk_script_are_answered_with_a_401_problem(string path)
    {
        using var browser = new DeskBrowser(Server);
        var response = await browser.GetAsync(path);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        await response.AssertProblemAsync(StatusCodes.Status401Unauthorized);
    }

    [Fact]
    public async Task Anonymous_previews_and_opml_uploads_are_refused()
    {
        using var browser = new DeskBrowser(Server);
        var preview = await browser.PostAsync("/desk/api/preview", ("commentary", "*hi*"));
        using var upload = new MultipartFormDataContent { { new ByteArrayContent("<opml version=\"2.0\"><body><outline xmlUrl=\"https://example.org/feed\"/></body></opml>"u8.ToArray()), "opml", "subs.opml" } };
        var import = await browser.Client.PostAsync("/desk/sources/import", upload);

        Assert.Equal(HttpStatusCode.Unauthorized, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, import.StatusCode);
        Assert.Contains("/desk/sign-in", import.Headers.Location!.ToString());
        Assert.Empty((await fixture.Author.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/sources")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(DeskForms))]
    public async Task Anonymous_form_posts_are_sent_to_sign_in_and_store_nothing(string path)
    {
        var before = await fixture.Author.CountAsync();
        using var browser = new DeskBrowser(Server);
        var response = await browser.PostAsync(path, ("url", "https://example.org/anonymous"), ("title", "Anonymous"), ("action", "publish"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/desk/sign-in", response.Headers.Location!.ToString());
        Assert.Equal(before, await fixture.Author.CountAsync());
    }

    [Fact]
    public async Task An_api_token_does_not_open_the_desk()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", FeedsServer.AdminToken);
        var response = await client.GetAsync("/desk/drafts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/desk/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_manifest_lets_a_phones_share_menu_open_the_compose_form()
    {
        using var browser = new DeskBrowser(Server);
        var response = await browser.GetAsync("/desk/manifest.webmanifest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        var manifest = await response.ReadJsonAsync();
        var share = manifest.GetProperty("share_target");
        Assert.Equal("/desk/new", share.GetProperty("action").GetString());
        Assert.Equal("GET", share.GetProperty("method").GetString());
        Assert.Equal("url", share.GetProperty("params").GetProperty("url").GetString());
        Assert.Equal("text", share.GetProperty("params").GetProperty("text").GetString());
        Assert.Equal("title", share.GetProperty("params").GetProperty("title").GetString());
        Assert.Equal("/desk", manifest.GetProperty("start_url").GetString());
    }
}
