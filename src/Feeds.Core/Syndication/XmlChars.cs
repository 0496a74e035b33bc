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
    /// Most strings (names, ids, URLs) hold nothing outside U+0020–U+D7FF, and one scan settles them. Past the
    /// first character outside it, a scan that stops at every line break and tab (which XML allows and HTML is
    /// full of) would be started again and again, so two scans that let them through take over: one for what
    /// lies below U+0009 or from U+D800 on, one for the controls between line feed and space.
    /// </remarks>
    public static int IndexOfIllegal(ReadOnlySpan<char> text)
    {
        var start = text.IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        if (start < 0)
        {
            return -1;
        }

        var rest = text[start..];
        var control = IndexOfIllegalControl(rest);
        var other = IndexOfIllegalOutsideControls(control < 0 ? rest : rest[..control]);
        var found = other >= 0 ? other : control;
        return found < 0 ? -1 : start + found;
    }

    /// <summary>U+000B, U+000C and U+000E–U+001F; carriage return, the one character allowed among them, is rare.</summary>
    private static int IndexOfIllegalControl(ReadOnlySpan<char> text)
    {
        var offset = 0;
        var i = text.IndexOfAnyInRange('\u000B', '\u001F');
        while (i >= 0 && text[i] == '\r')
        {
            offset += i + 1;
            text = text[(i + 1)..];
            i = text.IndexOfAnyInRange('\u000B', '\u001F');
        }

        return i < 0 ? -1 : offset + i;
    }

    /// <summary>Below U+0009, unpaired surrogates, U+FFFE and U+FFFF.</summary>
    private static int IndexOfIllegalOutsideControls(ReadOnlySpan<char> text)
    {
        var offset = 0;
        var i = text.IndexOfAnyExceptInRange('\t', '\uD7FF');
        while (i >= 0)
        {
            var c = text[i];
            int next;
            if (c >= '\uE000' && c <= '\uFFFD')
            {
                next = i + 1;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                next = i + 2;
            }
            else
            {
                return offset + i;
            }

            offset += next;
            text = text[next..];
            i = text.IndexOfAnyExceptInRange('\t', '\uD7FF');
        }

        return -1;
    }
}
