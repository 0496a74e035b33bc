using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Feeds.Core.Parsing;

/// <summary>The small amount of HTML handling parsing needs: text from HTML, HTML from text, absolute links.</summary>
internal static partial class FeedHtml
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
            var end = char.IsAsciiLetter(c) || c is '/' or '!' ? html.IndexOf('>', i + 2) : -1;
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

        return LinkAttribute().Replace(html, m =>
        {
            var raw = m.Groups["v"].Value;
            var value = WebUtility.HtmlDecode(raw).Trim();
            if (value.Length == 0 || value.StartsWith('#') || HasScheme(value) || !Uri.TryCreate(baseUrl, value, out var absolute))
            {
                return m.Value;
            }

            var quote = m.Groups["q"].Value;
            var encoded = quote.Length == 0 ? absolute.AbsoluteUri : Escape(absolute.AbsoluteUri).Replace("\"", "&quot;", StringComparison.Ordinal);
            return m.Groups["pre"].Value + quote + encoded + quote;
        });
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

    [GeneratedRegex(@"(?<pre>\s(?:href|src)\s*=\s*)(?:(?<q>[""'])(?<v>.*?)\k<q>|(?<q>)(?<v>[^\s""'>]+))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LinkAttribute();
}
