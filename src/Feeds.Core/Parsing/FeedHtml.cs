using System.Net;
using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>The small amount of HTML handling parsing needs: text from HTML, HTML from text, absolute links.</summary>
internal static class FeedHtml
{
    /// <summary>Plain text of an HTML fragment with whitespace collapsed; null when nothing visible remains.</summary>
    public static string? ToText(string? html)
    {
        if (html is null)
        {
            return null;
        }

        var text = html.Contains('<', StringComparison.Ordinal) ? ReplaceTags(html) : html;
        if (text.Contains('&', StringComparison.Ordinal))
        {
            text = WebUtility.HtmlDecode(text);
        }

        return CollapseWhitespace(text);
    }

    /// <summary>Every tag (<c>&lt;</c> and a letter, <c>/</c> or <c>!</c>, up to the next <c>&gt;</c>) replaced by a space.</summary>
    private static string ReplaceTags(string html)
    {
        var builder = new StringBuilder(html.Length);
        var copied = 0;
        var i = html.IndexOf('<', StringComparison.Ordinal);
        while (i >= 0 && i + 1 < html.Length)
        {
            var c = html[i + 1];
            var end = char.IsAsciiLetter(c) || c is '/' or '!' ? EndOfTag(html, i) : -1;
            if (end < 0)
            {
                // Without a closing '>' further on, no later '<' can start a tag either.
                if (html.IndexOf('>', i + 1) < 0)
                {
                    break;
                }

                i = html.IndexOf('<', i + 1);
                continue;
            }

            builder.Append(html, copied, i - copied).Append(' ');
            copied = end + 1;
            i = html.IndexOf('<', copied);
        }

        return builder.Append(html, copied, html.Length - copied).ToString();
    }

    /// <summary>
    /// The index of the <c>&gt;</c> closing the tag that starts at <paramref name="start"/>, stepping over quoted
    /// attribute values (<c>&lt;img alt="a &gt; b"&gt;</c>) and to the end of a comment; -1 when the tag never closes.
    /// </summary>
    private static int EndOfTag(string html, int start)
    {
        if (string.CompareOrdinal(html, start, "<!--", 0, 4) == 0)
        {
            var close = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
            return close < 0 ? -1 : close + 2;
        }

        var afterEquals = false;
        for (var i = start + 2; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '>')
            {
                return i;
            }

            if (afterEquals && c is '"' or '\'')
            {
                var closeQuote = html.IndexOf(c, i + 1);
                if (closeQuote < 0)
                {
                    return html.IndexOf('>', i + 1);
                }

                i = closeQuote;
                afterEquals = false;
            }
            else if (c == '=')
            {
                afterEquals = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                afterEquals = false;
            }
        }

        return -1;
    }

    /// <summary>Text with whitespace runs made single spaces and the ends trimmed; null when blank.</summary>
    public static string? CollapseWhitespace(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (IsCollapsed(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Whether <paramref name="text"/> already has no whitespace but single spaces between words, so collapsing would copy it unchanged.</summary>
    private static bool IsCollapsed(string text)
    {
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) && (c != ' ' || text[i + 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Plain text as HTML; null when blank.</summary>
    public static string? FromText(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Escape(text.Trim());

    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        Escape(value, builder, attribute: false);
        return builder.ToString();
    }

    /// <summary>Escapes only what HTML needs, so text in any script stays readable in the output.</summary>
    public static void Escape(string value, StringBuilder builder, bool attribute)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' when attribute => builder.Append("&quot;"),
                _ => builder.Append(c),
            };
        }
    }

    /// <summary>The fragment with relative <c>href</c> and <c>src</c> values resolved against <paramref name="baseUrl"/>.</summary>
    public static string? ResolveLinks(string? html, Uri baseUrl)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        html = html.Trim();
        if (!html.Contains("href", StringComparison.OrdinalIgnoreCase) && !html.Contains("src", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }

        // One pass over the fragment finding what the pattern
        // \s(href|src)\s*=\s*("value"|'value'|value) would, case-insensitively, leftmost first and without overlaps.
        StringBuilder? output = null;
        var copied = 0;
        for (var at = 0; at < html.Length; at++)
        {
            if (!char.IsWhiteSpace(html[at]) || !TryLinkAttribute(html, at, out var valueStart, out var valueEnd, out var end))
            {
                continue;
            }

            var resolved = Resolve(html.AsSpan(valueStart, valueEnd - valueStart), baseUrl);
            if (resolved is not null)
            {
                var quoted = end != valueEnd;
                output ??= new StringBuilder(html.Length + 64);
                output.Append(html, copied, valueStart - copied)
                    .Append(quoted ? Escape(resolved).Replace("\"", "&quot;", StringComparison.Ordinal) : resolved);
                copied = valueEnd;
            }

            at = end - 1;
        }

        return output is null ? html : output.Append(html, copied, html.Length - copied).ToString();
    }

    /// <summary>
    /// Whether an <c>href</c> or <c>src</c> attribute with a value starts at the whitespace at <paramref name="at"/>;
    /// the value (quotes excluded) spans <paramref name="valueStart"/> to <paramref name="valueEnd"/>, the attribute ends at <paramref name="end"/>.
    /// </summary>
    private static bool TryLinkAttribute(string html, int at, out int valueStart, out int valueEnd, out int end)
    {
        valueStart = valueEnd = end = 0;
        var i = at + 1;
        if (string.Compare(html, i, "href", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
        {
            i += 4;
        }
        else if (string.Compare(html, i, "src", 0, 3, StringComparison.OrdinalIgnoreCase) == 0)
        {
            i += 3;
        }
        else
        {
            return false;
        }

        i = SkipWhiteSpace(html, i);
        if (i >= html.Length || html[i] != '=')
        {
            return false;
        }

        i = SkipWhiteSpace(html, i + 1);
        if (i >= html.Length)
        {
            return false;
        }

        if (html[i] is '"' or '\'')
        {
            var close = html.IndexOf(html[i], i + 1);
            if (close < 0)
            {
                return false;
            }

            (valueStart, valueEnd, end) = (i + 1, close, close + 1);
            return true;
        }

        var j = i;
        while (j < html.Length && !char.IsWhiteSpace(html[j]) && html[j] is not ('"' or '\'' or '>'))
        {
            j++;
        }

        (valueStart, valueEnd, end) = (i, j, j);
        return j > i;
    }

    private static int SkipWhiteSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The absolute URL for a relative link attribute value as written in HTML; null to leave the value as it is.</summary>
    private static string? Resolve(ReadOnlySpan<char> raw, Uri baseUrl)
    {
        var value = WebUtility.HtmlDecode(raw.ToString()).Trim();
        return value.Length == 0 || HasScheme(value) || !Uri.TryCreate(baseUrl, value, out var absolute)
            ? null
            : absolute.AbsoluteUri;
    }

    /// <summary>An absolute http(s) URL for <paramref name="value"/> resolved against <paramref name="baseUrl"/>; null for anything else.</summary>
    public static Uri? AbsoluteHttp(string? value, Uri baseUrl)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(baseUrl, value.Trim(), out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
    }

    private static bool HasScheme(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        for (var i = 0; i < colon; i++)
        {
            var c = value[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return char.IsAsciiLetter(value[0]);
    }

}
