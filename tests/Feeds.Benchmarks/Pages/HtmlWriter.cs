using System.Buffers;
using System.Text;
using Feeds.Core.Text;

namespace Feeds.Benchmarks.Pages;

/// <summary>
/// Builds an HTML document from two kinds of pieces: markup the code itself spells out (<see cref="Raw"/>) and
/// everything else (<see cref="Text"/>), which is always encoded. Only the five markup characters are replaced,
/// so text in any script stays readable and small; the result is safe in element content and in quoted attributes.
/// </summary>
internal sealed class HtmlWriter
{
    private static readonly SearchValues<char> _markup = SearchValues.Create("&<>\"'");
    private readonly StringBuilder _html = new(16 * 1024);

    /// <summary>Appends trusted markup: literals from this code, or HTML that was sanitised when it was stored.</summary>
    public HtmlWriter Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>Appends <paramref name="text"/> encoded, without the characters no HTML document may contain.</summary>
    public HtmlWriter Text(string text)
    {
        // Stored text never holds them, but pages must stay well-formed even if some path lets one through.
        var rest = TextRules.ForXml(text).AsSpan();
        while (rest.Length > 0)
        {
            var i = rest.IndexOfAny(_markup);
            if (i < 0)
            {
                _html.Append(rest);
                break;
            }

            _html.Append(rest[..i]).Append(rest[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&#39;",
            });
            rest = rest[(i + 1)..];
        }

        return this;
    }

    /// <summary>An <c>a</c> element; <paramref name="rel"/> is a literal from this code.</summary>
    public HtmlWriter Link(string href, string text, string? rel = null)
    {
        _html.Append("<a");
        if (rel is not null)
        {
            _html.Append(" rel=\"").Append(rel).Append('"');
        }

        _html.Append(" href=\"");
        Text(href);
        _html.Append("\">");
        Text(text);
        _html.Append("</a>");
        return this;
    }

    public override string ToString() => _html.ToString();
}
