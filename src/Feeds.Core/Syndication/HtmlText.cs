using System.Buffers;

namespace Feeds.Core.Syndication;

/// <summary>
/// Encodes text for HTML element content and double- or single-quoted attribute values.
/// Only the five markup characters are replaced, so non-ASCII text stays readable in the feed.
/// </summary>
internal static class HtmlText
{
    private static readonly SearchValues<char> Markup = SearchValues.Create("&<>\"'");

    public static int EncodedLength(string text)
    {
        var length = text.Length;
        var rest = text.AsSpan();
        for (var i = rest.IndexOfAny(Markup); i >= 0; i = rest.IndexOfAny(Markup))
        {
            length += Replacement(rest[i]).Length - 1;
            rest = rest[(i + 1)..];
        }

        return length;
    }

    /// <summary>Writes <paramref name="text"/> encoded into <paramref name="destination"/>; returns how many characters that took.</summary>
    public static int Encode(string text, Span<char> destination)
    {
        var written = 0;
        var rest = text.AsSpan();
        while (true)
        {
            var i = rest.IndexOfAny(Markup);
            var run = i < 0 ? rest : rest[..i];
            run.CopyTo(destination[written..]);
            written += run.Length;
            if (i < 0)
            {
                return written;
            }

            var replacement = Replacement(rest[i]);
            replacement.CopyTo(destination[written..]);
            written += replacement.Length;
            rest = rest[(i + 1)..];
        }
    }

    private static string Replacement(char c) => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        _ => "&#39;",
    };
}
