using System.Net;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Desk;

/// <summary>
/// Signing in: the first visit proves it holds the admin token and sets a password; later ones sign in with it. Each
/// test runs on a server of its own, since the first password can be set only once.
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private FeedsServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Desk:SignInAttempts"] = "4" });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_first_visit_asks_for_the_admin_token_and_a_new_password_then_signs_in()
    {
        using var browser = new DeskBrowser(_server);
        var page = await browser.GetPageAsync("/desk/sign-in?returnUrl=%2Fdesk%2Fdrafts");
        Assert.Contains("action=\"/desk/set-up\"", page);
        Assert.Contains("<label for=\"adminToken\">", page);

        var response = await browser.PostAsync("/desk/set-up",
            ("adminToken", FeedsServer.AdminToken), ("password", DeskBrowser.Password), ("confirmation", DeskBrowser.Password),
            ("returnUrl", "/desk/drafts"), ("__RequestVerificationToken", DeskBrowser.TokenIn(page)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/desk/drafts", response.Headers.Location!.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("feeds_desk=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/desk/drafts")).StatusCode);

        // Once set, the page asks for the password, and the set-up is closed.
        using var other = new DeskBrowser(_server);
        var signIn = await other.GetPageAsync("/desk/sign-in");
        Assert.Contains("action=\"/desk/sign-in\"", signIn);
        var again = await other.PostAsync("/desk/set-up",
            ("adminToken", FeedsServer.AdminToken), ("password", "another password 2"), ("confirmation", "another password 2"),
            ("__RequestVerificationToken", DeskBrowser.TokenIn(signIn)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await other.SignInAsync();
    }

    [Fact]
    public async Task A_wrong_admin_token_sets_no_password_and_is_logged()
    {
        using var browser = new DeskBrowser(_server);
        var response = await browser.SubmitAsync("/desk/sign-in", "/desk/set-up",
            ("adminToken", "not-the-admin-token-at-all"), ("password", DeskBrowser.Password), ("confirmation", DeskBrowser.Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not the admin token", await response.Content.ReadAsStringAsync());
        Assert.Contains(_server.Logs.Entries, e => e.Values.TryGetValue("{OriginalFormat}", out var f) && $"{f}".Contains("set-up refused", StringComparison.Ordinal));
        Assert.Contains("action=\"/desk/set-up\"", await browser.GetPageAsync("/desk/sign-in"));
    }

    [Fact]
    public async Task A_short_or_mistyped_new_password_is_refused()
    {
        using var browser = new DeskBrowser(_server);
        var shortOne = await browser.SubmitAsync("/desk/sign-in", "/desk/set-up", ("adminToken", FeedsServer.AdminToken), ("password", "short"), ("confirmation", "short"));
        var mistyped = await browser.SubmitAsync("/desk/sign-in", "/desk/set-up", ("adminToken", FeedsServer.AdminToken), ("password", DeskBrowser.Password), ("confirmation", DeskBrowser.Password + "!"));

        Assert.Equal(HttpStatusCode.BadRequest, shortOne.StatusCode);
        Assert.Contains("at least 10 characters", await shortOne.Content.ReadAsStringAsync());
        Assert.Contains("at least 10 characters", await shortOne.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.Contains("differ", await mistyped.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_logged()
    {
        using (var author = new DeskBrowser(_server))
        {
            await author.SignInAsync();
        }

        using var browser = new DeskBrowser(_server);
        var response = await browser.SubmitAsync("/desk/sign-in", "/desk/sign-in", ("password", "a wrong password"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("feeds_desk=", StringComparison.Ordinal));
        Assert.Contains(_server.Logs.Entries, e => e.Values.TryGetValue("{OriginalFormat}", out var f) && $"{f}" == "Desk sign-in failed from {RemoteAddress}"
            && $"{e.Values["RemoteAddress"]}" == "127.0.0.1");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_are_refused_with_429_even_with_the_right_password()
    {
        using var browser = new DeskBrowser(_server);
        await browser.SignInAsync();
        using var attacker = new DeskBrowser(_server);
        var page = await attacker.GetPageAsync("/desk/sign-in");
        var token = DeskBrowser.TokenIn(page);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await attacker.PostAsync("/desk/sign-in", ("password", $"guess {i} of many"), ("__RequestVerificationToken", token))).StatusCode);
        }

        var limited = await attacker.PostAsync("/desk/sign-in", ("password", DeskBrowser.Password), ("__RequestVerificationToken", token));

        // The set-up above was one attempt of this address's four.
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, (HttpStatusCode)429], statuses);
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains(_server.Logs.Entries, e => e.Values.TryGetValue("{OriginalFormat}", out var f) && $"{f}".Contains("exceeded the limit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task An_off_site_return_url_is_never_followed(string returnUrl)
    {
        using var browser = new DeskBrowser(_server);
        await browser.SignInAsync();
        await browser.SubmitAsync("/desk", "/desk/sign-out");

        var page = await browser.GetPageAsync("/desk/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var response = await browser.PostAsync("/desk/sign-in",
            ("password", DeskBrowser.Password), ("returnUrl", returnUrl), ("__RequestVerificationToken", DeskBrowser.TokenIn(page)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/desk", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = new DeskBrowser(_server);
        await browser.SignInAsync();
        var cookie = browser.Cookies.GetCookies(_server.Address)["feeds_desk"]!.Value;

        var response = await browser.SubmitAsync("/desk", "/desk/sign-out");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/desk")).StatusCode);
        Assert.Null(browser.Cookies.GetCookies(_server.Address)["feeds_desk"]);
        Assert.NotEmpty(cookie);
    }

    [Fact]
    public async Task A_changed_password_ends_every_other_session_and_keeps_this_one()
    {
        using var laptop = new DeskBrowser(_server);
        await laptop.SignInAsync();
        using var phone = new DeskBrowser(_server);
        await phone.SignInAsync();

        var response = await laptop.SubmitAsync("/desk/password", "/desk/password",
            ("current", DeskBrowser.Password), ("password", "a brand new password"), ("confirmation", "a brand new password"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/desk/drafts")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/desk/drafts")).StatusCode);
        using var later = new DeskBrowser(_server);
        await later.SignInAsync("a brand new password");
    }

    [Fact]
    public async Task Sessions_and_the_password_survive_a_restart()
    {
        using var browser = new DeskBrowser(_server);
        await browser.SignInAsync();
        var (directory, port) = (_server.DataDirectory, _server.Address.Port);
        await _server.DisposeAsync();
        _server = new FeedsServer(directory, port: port);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/desk/drafts")).StatusCode);
    }

    [Fact]
    public async Task Api_tokens_keep_working_beside_a_desk_session_which_opens_no_api()
    {
        using var browser = new DeskBrowser(_server);
        await browser.SignInAsync();

        var asAuthor = await browser.Client.PostAsync("/api/posts",
            new StringContent("""{"url":"https://example.org/x","title":"x"}""", System.Text.Encoding.UTF8, "application/json"));
        var withToken = await _server.CreateAuthorizedClient().CreateAsync(Infrastructure.Posts.Valid());

        Assert.Equal(HttpStatusCode.Unauthorized, asAuthor.StatusCode);
        Assert.Equal("published", withToken.GetProperty("status").GetString());
    }
}
