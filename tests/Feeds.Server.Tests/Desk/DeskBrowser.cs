using System.Net;
using System.Text.RegularExpressions;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Desk;

/// <summary>
/// A browser without JavaScript against the desk: its own cookie jar, redirects not followed (so tests see them), and
/// forms filled the way a browser sends them, with the antiforgery token of the page they came from.
/// </summary>
public sealed partial class DeskBrowser : IDisposable
{
    public const string Password = "correct horse battery";

    private readonly HttpClient _client;

    public DeskBrowser(FeedsServer server)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client => _client;

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> GetPageAsync(string path)
    {
        var response = await _client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {html}");
        return html;
    }

    /// <summary>Opens <paramref name="page"/>, then posts <paramref name="fields"/> to <paramref name="action"/> with the page's form token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var html = await GetPageAsync(page);
        return await PostAsync(action, [.. fields, ("__RequestVerificationToken", TokenIn(html))]);
    }

    /// <summary>Posts exactly <paramref name="fields"/>, as a forged form on another site would (no token unless given).</summary>
    public Task<HttpResponseMessage> PostAsync(string action, params (string Name, string Value)[] fields) =>
        _client.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public static string TokenIn(string html)
    {
        var match = TokenField().Match(html);
        Assert.True(match.Success, "the page has no antiforgery field: " + html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Signs in, setting the password first on a server that has none.</summary>
    public async Task SignInAsync(string password = Password)
    {
        var page = await GetPageAsync("/desk/sign-in");
        var response = page.Contains("action=\"/desk/set-up\"", StringComparison.Ordinal)
            ? await PostAsync("/desk/set-up", ("adminToken", FeedsServer.AdminToken), ("password", password), ("confirmation", password), ("__RequestVerificationToken", TokenIn(page)))
            : await PostAsync("/desk/sign-in", ("password", password), ("__RequestVerificationToken", TokenIn(page)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
