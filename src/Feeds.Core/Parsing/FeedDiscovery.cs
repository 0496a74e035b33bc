using AngleSharp.Html.Parser;

namespace Feeds.Core.Parsing;

/// <summary>Finds the feeds a web page advertises, and tells a feed from a page.</summary>
public static class FeedDiscovery
{
    /// <summary>Media types of advertised feeds, most preferred first. Plain JSON comes last because many sites use it for APIs.</summary>
    private static readonly string[] FeedTypes =
        ["application/atom+xml", "application/rss+xml", "application/feed+json", "application/json"];

    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    /// <summary>
    /// Absolute http(s) URLs from <c>&lt;link rel="alternate"&gt;</c> elements with a feed media type,
    /// Atom first, then RSS, then JSON, each in page order, without duplicates. A <c>&lt;base href&gt;</c> is honoured.
    /// </summary>
    public static IReadOnlyList<Uri> Find(string html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(pageUrl);
        using var document = Parser.ParseDocument(html);
        var baseUrl = pageUrl;
        var baseHref = document.QuerySelector("base[href]")?.GetAttribute("href");
        if (baseHref is not null && Uri.TryCreate(pageUrl, baseHref.Trim(), out var declared))
        {
            baseUrl = declared;
        }

        var found = new List<(int Rank, int Order, Uri Url)>();
        var order = 0;
        foreach (var link in document.QuerySelectorAll("link[href]"))
        {
            var rels = (link.GetAttribute("rel") ?? string.Empty).Split((char[])[' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (!rels.Contains("alternate", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var type = (link.GetAttribute("type") ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
            var rank = Array.IndexOf(FeedTypes, type);
            var url = FeedHtml.AbsoluteHttp(link.GetAttribute("href"), baseUrl);
            if (rank >= 0 && url is not null && !found.Exists(f => f.Url == url))
            {
                found.Add((rank, order++, url));
            }
        }

        return [.. found.OrderBy(f => f.Rank).ThenBy(f => f.Order).Select(f => f.Url)];
    }

    /// <summary>
    /// Whether a response body is a feed this service can read. The body decides; the Content-Type only settles
    /// what the body leaves open, because servers label feeds as text/html and pages as text/xml alike.
    /// </summary>
    public static bool LooksLikeFeed(ReadOnlySpan<byte> body, string? contentType)
    {
        var head = body.Length > 4096 ? body[..4096] : body;
        var encoding = FeedEncoding.Detect(body, contentType, out var preamble);
        var text = encoding.GetString(head[Math.Min(preamble, head.Length)..]);
        var start = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (start.Length > 0 && start[0] == '{')
        {
            var whole = encoding.GetString(body[preamble..]);
            // Some JSON Feeds give their version as a bare "1.1", which the parser reads too.
            return whole.Contains("jsonfeed.org/version", StringComparison.OrdinalIgnoreCase)
                || (whole.Contains("\"version\"", StringComparison.Ordinal) && whole.Contains("\"items\"", StringComparison.Ordinal));
        }

        var name = Sniff.FirstName(start, out var doctype);
        if (name is not null)
        {
            if (name.Equals("html", StringComparison.OrdinalIgnoreCase) || name.Equals("head", StringComparison.OrdinalIgnoreCase)
                || name.Equals("body", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            // A DOCTYPE names the root element too, so the same names settle it.
            if (name is "rss" or "feed"
                || (name == "RDF" && (text.Contains("purl.org/rss/1.0", StringComparison.Ordinal) || text.Contains("my.netscape.com/rdf/simple/0.9", StringComparison.Ordinal))))
            {
                return true;
            }

            if (!doctype)
            {
                return false;
            }
        }

        var mediaType = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        return mediaType is "application/rss+xml" or "application/atom+xml" or "application/feed+json" or "application/rdf+xml";
    }
}
