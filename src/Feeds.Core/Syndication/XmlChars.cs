using System.Buffers;
using System.Text;
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
        while (!text.IsEmpty)
        {
            var chunk = text.Length <= ChunkLength ? text : text[..ChunkLength];

            // A chunk must not split a surrogate pair or a CR LF, which are translated as one.
            if (chunk.Length < text.Length && (char.IsHighSurrogate(chunk[^1]) || chunk[^1] == '\r'))
            {
                chunk = chunk[..^1];
            }

            var destination = output.GetSpan(chunk.Length * MaxBytesPerChar);
            output.Advance(Escape(chunk, destination));
            text = text[chunk.Length..];
        }
    }

    private const int ChunkLength = 16 * 1024;

    /// <summary>"&amp;amp;" is five bytes for one character; UTF-8 needs at most three per UTF-16 unit.</summary>
    private const int MaxBytesPerChar = 5;

    private static int Escape(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var written = 0;
        while (true)
        {
            var i = text.IndexOfAny(TextSpecials);
            var run = i < 0 ? text : text[..i];
            if (!run.IsEmpty)
            {
                written += Ascii.FromUtf16(run, destination[written..], out var ascii) == OperationStatus.Done
                    ? ascii
                    : Encoding.UTF8.GetBytes(run, destination[written..]);
            }

            if (i < 0)
            {
                return written;
            }

            var entity = text[i] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                _ => i + 1 < text.Length && text[i + 1] == '\n' ? [] : "\n"u8,
            };
            entity.CopyTo(destination[written..]);
            written += entity.Length;
            text = text[(i + 1)..];
        }
    }
}
