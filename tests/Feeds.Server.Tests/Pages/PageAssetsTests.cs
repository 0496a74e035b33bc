using System.Net;
using System.Net.Http.Headers;
using Feeds.Server.Tests.Infrastructure;
using static Feeds.Server.Tests.Pages.HtmlPages;

namespace Feeds.Server.Tests.Pages;

/// <summary>The pages' stylesheet as a file of its own, and the policy that lets only the site's files style or script a page.</summary>
public sealed class PageAssetsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _reader = new() { BaseAddress = fixture.Server.Address };

    [Fact]
    public async Task Pages_link_their_stylesheet_by_a_versioned_url_that_browsers_keep_for_a_year()
    {
        var home = await _reader.GetPageAsync("/");
        var href = home.QuerySelector("head link[rel=stylesheet]")?.GetAttribute("href");

        Assert.Matches("^/assets/site\\.css\\?v=[A-Za-z0-9_-]{12}$", href);
        var css = await _reader.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("prefers-color-scheme: dark", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("public, max-age=31536000, immutable", css.Headers.CacheControl?.ToString());
        Assert.NotNull(css.Headers.ETag);
    }

    [Fact]
    public async Task The_stylesheet_without_its_version_is_revalidated_and_answers_304_when_unchanged()
    {
        var first = await _reader.GetAsync("/assets/site.css");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/site.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await _reader.SendAsync(again);

        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task The_stylesheet_version_is_the_files_content()
    {
        var home = await _reader.GetPageAsync("/");
        var version = home.QuerySelector("head link[rel=stylesheet]")!.GetAttribute("href")!.Split("?v=")[1];
        var bytes = await _reader.GetByteArrayAsync("/assets/site.css");

        Assert.Equal(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Security.Cryptography.SHA256.HashData(bytes), 0, 9), version);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/tags/nothing-here")]
    [InlineData("/2025/01/01/no-post")]
    public async Task Pages_allow_scripts_and_styles_from_the_site_only_and_hold_none_inline(string path)
    {
        var response = await _reader.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var page = Parse(html);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Empty(page.QuerySelectorAll("style, script:not([src]), [style]"));
        Assert.False(response.Headers.Contains("blazor-enhanced-nav"));
    }

    [Fact]
    public async Task A_page_answered_from_the_output_cache_keeps_its_policy()
    {
        await _reader.GetAsync("/");

        var cached = await _reader.GetAsync("/");

        Assert.NotNull(cached.Headers.Age);
        Assert.Single(cached.Headers.GetValues("Content-Security-Policy"));
    }
}
