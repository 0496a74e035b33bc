using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feeds.Core.Text;

/// <summary>
/// A post's commentary as a search result, a link preview or a <c>&lt;meta name="description"&gt;</c> shows it: its
/// text without markup, on one line, cut at a word before <c>maxLength</c> characters with an ellipsis.
/// </summary>
public static class PlainSummary
{
    private static readonly HtmlParser _parser = new();

    /// <summary>Elements that run within a line; every other element is a block, set apart from its neighbours by a space.</summary>
    private static readonly HashSet<string> _inline = new(StringComparer.Ordinal)
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
        "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    };

    /// <summary>The text of <paramref name="html"/> (sanitised commentary), at most <paramref name="maxLength"/> characters; empty when it has none.</summary>
    public static string Of(string html, int maxLength = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        var document = _parser.ParseDocument("<body>" + html + "</body>");
        var raw = new StringBuilder(html.Length);
        AppendText(document.Body!, raw);
        var text = OneLine(raw.ToString());
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength - 1);
        var kept = cut > maxLength / 2 ? text[..cut] : text[..(maxLength - 1)];
        // Never split a surrogate pair: half a character is not text.
        if (char.IsHighSurrogate(kept[^1]))
        {
            kept = kept[..^1];
        }

        return kept.TrimEnd(' ', ',', ';', ':', '.', '-') + "…";
    }

    /// <summary>The text below <paramref name="node"/>, with a space at each block's edges: "<c>&lt;p&gt;one&lt;/p&gt;&lt;p&gt;two&lt;/p&gt;</c>" reads "one two".</summary>
    private static void AppendText(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText leaf)
            {
                text.Append(leaf.Data);
            }
            else if (child is IElement element)
            {
                var block = !_inline.Contains(element.LocalName);
                if (block)
                {
                    text.Append(' ');
                }

                AppendText(element, text);
                if (block)
                {
                    text.Append(' ');
                }
            }
        }
    }

    private static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Control)
            {
                if (line.Length > 0 && line[^1] != ' ')
                {
                    line.Append(' ');
                }
            }
            else
            {
                line.Append(c);
            }
        }

        return line.ToString().Trim();
    }
}
