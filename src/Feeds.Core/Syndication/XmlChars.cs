using System.Buffers;
using Feeds.Core.Text;

namespace Feeds.Core.Syndication;

/// <summary>Fast paths for the text of feed documents, which is almost always clean and mostly ASCII.</summary>
internal static class XmlChars
{
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r");

    /// <summary>
    /// <see cref="TextRules.ForXml"/>, reached only when the text holds a character it might drop. The vectorised
    /// scan matters because content is most of a feed's bytes: a character-by-character check costs more than
    /// writing the whole document.
    /// </summary>
    public static string Clean(string text)
    {
        var rest = text.AsSpan();
        var i = rest.IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        while (i >= 0)
        {
            var c = rest[i];
            if (c is '\t' or '\n' or '\r' || (c >= '\uE000' && c <= '\uFFFD'))
            {
                i++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < rest.Length && char.IsLowSurrogate(rest[i + 1]))
            {
                i += 2;
            }
            else
            {
                return TextRules.ForXml(text);
            }

            rest = rest[i..];
            i = rest.IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        }

        return text;
    }

    /// <summary>
    /// Writes <paramref name="text"/> (already <see cref="Clean"/>) as escaped XML character data in UTF-8, the
    /// way <see cref="System.Xml.XmlWriter"/> does with <c>NewLineHandling.Replace</c> and "\n" line breaks.
    /// </summary>
    public static void WriteEscapedText(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        while (true)
        {
            var i = text.IndexOfAny(TextSpecials);
            WriteUtf8(i < 0 ? text : text[..i], output);
            if (i < 0)
            {
                return;
            }

            switch (text[i])
            {
                case '&':
                    output.Write("&amp;"u8);
                    break;
                case '<':
                    output.Write("&lt;"u8);
                    break;
                case '>':
                    output.Write("&gt;"u8);
                    break;
                default:
                    if (i + 1 == text.Length || text[i + 1] != '\n')
                    {
                        output.Write("\n"u8);
                    }

                    break;
            }

            text = text[(i + 1)..];
        }
    }

    private static void WriteUtf8(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(text.Length * 3);
        var written = System.Text.Encoding.UTF8.GetBytes(text, span);
        output.Advance(written);
    }
}
