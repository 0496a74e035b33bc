using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;

namespace Feeds.Server.Tests.Pages;

/// <summary>Fetches pages and reads them the way a browser would, failing on anything that is not clean HTML5.</summary>
public static class HtmlPages
{
    public const string BaseUrl = "https://links.example";

    /// <summary>GETs <paramref name="path"/>, asserts a 200 HTML page that parses without a single error, and returns it.</summary>
    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {html}");
        return AssertHtml(response, html);
    }

    public static IHtmlDocument AssertHtml(HttpResponseMessage response, string html)
    {
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return Parse(html);
    }

    /// <summary>Parses <paramref name="html"/> as a browser would, asserting the tokenizer and tree builder reported no error.</summary>
    public static IHtmlDocument Parse(string html)
    {
        var errors = new List<string>();
        var parser = new HtmlParser();
        parser.Error += (_, e) =>
        {
            if (e is HtmlErrorEvent error)
            {
                errors.Add($"{error.Position.Line}:{error.Position.Column} {error.Message}");
            }
        };
        // The parser tolerates these silently, but HTML forbids them in a document.
        var forbidden = html.Select((c, i) => (c, i)).FirstOrDefault(x => IsForbidden(html, x.i));
        Assert.True(forbidden == default, $"U+{(int)forbidden.c:X4} at {forbidden.i} may not appear in HTML");
        var document = parser.ParseDocument(html);
        Assert.True(errors.Count == 0, "HTML parse errors:\n" + string.Join('\n', errors) + "\n" + html);
        Assert.Equal("html", document.Doctype?.Name);
        Assert.Equal("utf-8", document.QuerySelector("meta[charset]")?.GetAttribute("charset"));
        return document;
    }

    private static bool IsForbidden(string html, int i)
    {
        var c = html[i];
        return (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
            || c is '\uFFFE' or '\uFFFF'
            || (char.IsHighSurrogate(c) && (i + 1 == html.Length || !char.IsLowSurrogate(html[i + 1])))
            || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(html[i - 1])));
    }

    /// <summary>The titles of the posts listed on a page, in page order.</summary>
    public static string[] PostTitles(this IDocument page) =>
        [.. page.QuerySelectorAll("article.post :is(h1, h2) a").Select(a => a.TextContent)];

    /// <summary>Every feed the page advertises, as <c>type href</c>.</summary>
    public static string[] Autodiscovery(this IDocument page) =>
        [.. page.QuerySelectorAll("head link[rel=alternate]").Select(l => $"{l.GetAttribute("type")} {l.GetAttribute("href")}")];

    /// <summary>The three autodiscovery entries of one feed path such as <c>/everything</c> or <c>/tags/python</c>.</summary>
    public static string[] FeedsOf(string path) =>
    [
        $"application/atom+xml {BaseUrl}{path}.atom",
        $"application/rss+xml {BaseUrl}{path}.rss",
        $"application/feed+json {BaseUrl}{path}.json",
    ];

    /// <summary>A site-relative path of one of the site's absolute links.</summary>
    public static string PathOf(string absoluteUrl)
    {
        Assert.StartsWith(BaseUrl + "/", absoluteUrl, StringComparison.Ordinal);
        return absoluteUrl[BaseUrl.Length..];
    }
}
