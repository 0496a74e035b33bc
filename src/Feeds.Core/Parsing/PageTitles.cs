using AngleSharp.Html.Parser;
using Feeds.Core.Text;

namespace Feeds.Core.Parsing;

/// <summary>The title a web page gives itself: its <c>og:title</c>, else its <c>&lt;title&gt;</c>.</summary>
public static class PageTitles
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    /// <summary>The title with white space collapsed; null when the page names none.</summary>
    public static string? Find(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = Parser.ParseDocument(html);
        foreach (var meta in document.QuerySelectorAll("meta[content]"))
        {
            var name = meta.GetAttribute("property") ?? meta.GetAttribute("name");
            if (string.Equals(name, "og:title", StringComparison.OrdinalIgnoreCase)
                && Clean(meta.GetAttribute("content")) is { Length: > 0 } og)
            {
                return og;
            }
        }

        return Clean(document.QuerySelector("title")?.TextContent);
    }

    private static string? Clean(string? text) =>
        text is null ? null : QuotedHtml.OneLine(text) is { Length: > 0 } line ? line : null;
}
