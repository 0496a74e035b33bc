using System.Text;

namespace Feeds.Core.Syndication;

/// <summary>
/// Encodes text for HTML element content and double- or single-quoted attribute values.
/// Only the five markup characters are replaced, so non-ASCII text stays readable in the feed.
/// </summary>
internal static class HtmlText
{
    public static void Append(StringBuilder html, string text)
    {
        var rest = text.AsSpan();
        while (rest.Length > 0)
        {
            var i = rest.IndexOfAny("&<>\"'");
            if (i < 0)
            {
                html.Append(rest);
                return;
            }

            html.Append(rest[..i]);
            html.Append(rest[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&#39;",
            });
            rest = rest[(i + 1)..];
        }
    }
}
