using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using Ganss.Xss;

namespace Feeds.Core.Text;

/// <summary>
/// Someone else's HTML (an upstream item's summary) made fit to quote in a post: the <see cref="SafeHtml"/> policy
/// (no scripts, styles, event handlers or <c>javascript:</c> links), tracking pixels and empty images removed,
/// relative URLs made absolute, wrapped in one <c>&lt;blockquote&gt;</c> on a single line so that Markdown keeps
/// it as one raw HTML block.
/// </summary>
public static class QuotedHtml
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The quotation, or null when nothing visible is left or it would be longer than <paramref name="maxLength"/>.</summary>
    public static string? Quote(string? html, Uri baseUrl, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var clean = OneLine(Sanitizer.Sanitize(html, baseUrl.AbsoluteUri));
        if (clean.Length == 0)
        {
            return null;
        }

        var quote = $"<blockquote>{clean}</blockquote>";
        return quote.Length <= maxLength ? quote : null;
    }

    /// <summary>Plain text as a quotation, escaped; null when blank.</summary>
    public static string? QuoteText(string? text)
    {
        var line = string.IsNullOrWhiteSpace(text) ? string.Empty : OneLine(text);
        if (line.Length == 0)
        {
            return null;
        }

        var builder = new StringBuilder("<blockquote><p>", line.Length + 32);
        foreach (var c in line)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                _ => builder.Append(c),
            };
        }

        return builder.Append("</p></blockquote>").ToString();
    }

    /// <summary>Whitespace runs made single spaces, characters no one types (controls, lone surrogates, noncharacters) dropped.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (!pair && (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF'))
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (pair)
            {
                builder.Append(text[++i]);
            }
        }

        return builder.ToString();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = SafeHtml.CreateSanitizer();
        // An empty URL would otherwise resolve to the page itself.
        sanitizer.FilterUrl += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.OriginalUrl))
            {
                e.SanitizedUrl = null;
            }
        };
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var image in e.Document.QuerySelectorAll("img").ToList())
            {
                if (IsTrackingPixel(image))
                {
                    image.Remove();
                }
            }
        };
        return sanitizer;
    }

    /// <summary>An image no reader would see: sized 0 or 1 pixel in either direction, or with nothing to show.</summary>
    private static bool IsTrackingPixel(IElement image) =>
        string.IsNullOrWhiteSpace(image.GetAttribute("src")) || IsTiny(image.GetAttribute("width")) || IsTiny(image.GetAttribute("height"));

    private static bool IsTiny(string? size) =>
        size is not null
        && double.TryParse(size.Trim().TrimEnd('x').TrimEnd('p'), NumberStyles.Float, CultureInfo.InvariantCulture, out var pixels)
        && pixels <= 1;
}
