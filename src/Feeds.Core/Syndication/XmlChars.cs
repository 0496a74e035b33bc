using Feeds.Core.Text;

namespace Feeds.Core.Syndication;

/// <summary>Fast paths for the text of feed documents, which is almost always clean and mostly ASCII.</summary>
internal static class XmlChars
{
    /// <summary>
    /// <see cref="TextRules.ForXml"/>, reached only when the text holds a character it might drop. The vectorised
    /// scan matters because content is most of a feed's bytes: a character-by-character check costs more than
    /// writing the whole document.
    /// </summary>
    public static string Clean(string text) => IndexOfIllegal(text) < 0 ? text : TextRules.ForXml(text);

    /// <summary>The position of the first character XML 1.0 forbids in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfIllegal(ReadOnlySpan<char> text)
    {
        var offset = 0;
        var i = text.IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        while (i >= 0)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' || (c >= '\uE000' && c <= '\uFFFD'))
            {
                i++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
            }
            else
            {
                return offset + i;
            }

            offset += i;
            text = text[i..];
            i = text.IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        }

        return -1;
    }
}
