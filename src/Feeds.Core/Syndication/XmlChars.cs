using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>Throws for the first character XML 1.0 forbids in <paramref name="text"/>: text is cleaned before it is written, so one is a bug.</summary>
    public static void ThrowIfIllegal(ReadOnlySpan<char> text)
    {
        var i = IndexOfIllegal(text);
        if (i >= 0)
        {
            throw IllegalCharacter(text[i]);
        }
    }

    public static ArgumentException IllegalCharacter(char c) =>
        new($"The character U+{(int)c:X4} is not allowed in an XML document.");

    /// <summary>The position of the first character XML 1.0 forbids in <paramref name="text"/>, or -1.</summary>
    /// <remarks>
    /// One pass finds the candidates: the controls other than tab, line feed and carriage return, and everything
    /// from U+D800 on. Most text has none; a candidate that turns out allowed (a surrogate pair, U+E000–U+FFFD)
    /// resumes the pass after it.
    /// </remarks>
    public static int IndexOfIllegal(ReadOnlySpan<char> text)
    {
        var i = IndexOfCandidate(text, 0);
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
                return i;
            }

            i = IndexOfCandidate(text, next);
        }

        return -1;
    }

    /// <summary>From <paramref name="start"/>, the first character below U+0020 other than tab, LF and CR, or from U+D800 on.</summary>
    private static int IndexOfCandidate(ReadOnlySpan<char> text, int start)
    {
        ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= text.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var found = Candidates(Vector256.LoadUnsafe(ref first, (nuint)i)).ExtractMostSignificantBits();
                if (found != 0)
                {
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= text.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                var found = Candidates(Vector128.LoadUnsafe(ref first, (nuint)i)).ExtractMostSignificantBits();
                if (found != 0)
                {
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if ((ushort)(c - 0x20) >= 0xD7E0 && c is not ('\t' or '\n' or '\r'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Unsigned, c - U+0020 lands at or past U+D7E0 exactly for c below U+0020 or from U+D800 on.</summary>
    private static Vector256<ushort> Candidates(Vector256<ushort> chars) =>
        Vector256.GreaterThanOrEqual(chars - Vector256.Create((ushort)0x20), Vector256.Create((ushort)0xD7E0))
        & ~(Vector256.Equals(chars, Vector256.Create((ushort)'\t')) | Vector256.Equals(chars, Vector256.Create((ushort)'\n')) | Vector256.Equals(chars, Vector256.Create((ushort)'\r')));

    private static Vector128<ushort> Candidates(Vector128<ushort> chars) =>
        Vector128.GreaterThanOrEqual(chars - Vector128.Create((ushort)0x20), Vector128.Create((ushort)0xD7E0))
        & ~(Vector128.Equals(chars, Vector128.Create((ushort)'\t')) | Vector128.Equals(chars, Vector128.Create((ushort)'\n')) | Vector128.Equals(chars, Vector128.Create((ushort)'\r')));
}
