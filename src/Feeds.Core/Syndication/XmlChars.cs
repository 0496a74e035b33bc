using System.Buffers;
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
    /// <remarks>
    /// Three vectorised scans rather than one for "anything outside U+0020–U+D7FF": that one stops at every
    /// line break and tab, which XML allows and HTML is full of, and starting it again each time cost more than
    /// the scanning.
    /// </remarks>
    public static int IndexOfIllegal(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAny(IllegalControls);
        var noncharacter = text.IndexOfAnyInRange('\uFFFE', '\uFFFF');
        if (noncharacter >= 0 && (first < 0 || noncharacter < first))
        {
            first = noncharacter;
        }

        var unpaired = IndexOfUnpairedSurrogate(first < 0 ? text : text[..first]);
        return unpaired >= 0 ? unpaired : first;
    }

    private static readonly SearchValues<char> IllegalControls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        var offset = 0;
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return offset + i;
            }

            offset += i + 2;
            text = text[(i + 2)..];
            i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        }

        return -1;
    }
}
