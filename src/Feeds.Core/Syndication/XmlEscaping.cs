using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Feeds.Core.Syndication;

/// <summary>
/// Text and attribute values escaped and encoded as UTF-8 the way <c>XmlWriter.Create</c> writes them (with
/// <c>NewLineHandling.Replace</c> and "\n" line breaks), sixteen characters at a time, and the line-break and
/// "]]&gt;" rules of CDATA sections, for <see cref="FeedXmlWriter"/>.
/// </summary>
internal static class XmlEscaping
{
    /// <summary>How many characters are escaped per call, so that room for the worst case is made once per chunk.</summary>
    public const int ChunkLength = 4096;

    /// <summary>"&amp;quot;" is six bytes for one character; UTF-8 needs at most three per UTF-16 unit.</summary>
    private const int MaxBytesPerChar = 6;

    /// <summary>Room for the whole words written past the end of the last entity or block.</summary>
    private const int EscapeSlack = 16;

    /// <summary>
    /// Escapes <paramref name="text"/> from <paramref name="i"/> to <paramref name="end"/> into <paramref name="buffer"/>
    /// at <paramref name="bufferPosition"/>, which has <see cref="RoomFor"/> that many characters. ASCII is copied
    /// sixteen characters at a time (a shorter tail through a copy in <paramref name="tail16"/>), and the markup
    /// characters HTML content is full of are replaced on the spot; anything else goes one character at a time
    /// through <see cref="WriteEscapedChar"/>. Returns where it stopped: at <paramref name="end"/>, or one past
    /// it after a CR LF or surrogate pair.
    /// </summary>
    public static int EscapeChunk(string text, int i, int end, bool attribute, byte[] buffer, ref int bufferPosition, char[] tail16)
    {
        var position = bufferPosition;
        var replacements = attribute ? AttributeReplacements : TextReplacements;
        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text.AsSpan()));
        ref var destination = ref MemoryMarshal.GetArrayDataReference(buffer);
        while (i < end)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                i = WriteEscapedChar(text, i, attribute, buffer, ref position);
                continue;
            }

            Vector128<ushort> low, high;
            var length = end - i;
            if (length >= 16)
            {
                length = 16;
                low = Vector128.LoadUnsafe(ref source, (nuint)i);
                high = Vector128.LoadUnsafe(ref source, (nuint)i + 8);
            }
            else
            {
                text.AsSpan(i, length).CopyTo(tail16);
                ref var tail = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetArrayDataReference(tail16));
                low = Vector128.LoadUnsafe(ref tail);
                high = Vector128.LoadUnsafe(ref tail, 8);
            }

            // Characters beyond ASCII saturate to bytes above 0x7F, which count as special and stop the block
            // for WriteEscapedChar; bytes stored past where a block stops are overwritten by what comes next
            // (the chunk's room covers them).
            var bytes = Vector128.NarrowWithSaturation(low, high);
            bytes.StoreUnsafe(ref destination, (nuint)position);
            var specials = Vector128.LessThan(bytes, Vector128.Create((byte)0x20))
                | Vector128.GreaterThan(bytes, Vector128.Create((byte)0x7F))
                | Vector128.Equals(bytes, Vector128.Create((byte)'&'))
                | Vector128.Equals(bytes, Vector128.Create((byte)'<'))
                | Vector128.Equals(bytes, Vector128.Create((byte)'>'));
            if (attribute)
            {
                specials |= Vector128.Equals(bytes, Vector128.Create((byte)'"'));
            }

            var mask = specials.ExtractMostSignificantBits() & ((1u << length) - 1);

            // Each special character's replacement goes right after the bytes before it, as one unaligned
            // word looked up rather than branched on (which markup character comes next in HTML is anyone's
            // guess), and the rest of the block is stored again, shifted, after it.
            var next = 0;
            while (mask != 0)
            {
                var special = BitOperations.TrailingZeroCount(mask);
                var replacement = replacements[bytes.GetElement(special)];
                if (replacement == 0)
                {
                    break;
                }

                position += special - next;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, position), replacement);
                position += (int)(replacement >> 56);
                next = special + 1;
                Vector128.ShuffleNative(bytes, ShiftLeft[next]).StoreUnsafe(ref destination, (nuint)position);
                mask &= mask - 1;
            }

            if (mask == 0)
            {
                position += length - next;
                i += length;
                continue;
            }

            // A character that needs more thought than a lookup: the bytes before it are in place, its own not yet.
            var stop = BitOperations.TrailingZeroCount(mask);
            position += stop - next;
            i = WriteEscapedChar(text, i + stop, attribute, buffer, ref position);
        }

        bufferPosition = position;
        return i;
    }

    /// <summary>
    /// What each ASCII character becomes in text and in attribute values, for the ones that change: up to six
    /// bytes, with their count in the top byte (past the end of what is kept, so the next write covers it).
    /// Zero means <see cref="WriteEscapedChar"/> decides: CR LF, the control characters XML forbids, and
    /// whatever is not ASCII (indexed by its saturated byte).
    /// </summary>
    private static readonly ulong[] TextReplacements = Replacements(("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\t", "\t"), ("\n", "\n"));

    private static readonly ulong[] AttributeReplacements = Replacements(
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("\t", "&#x9;"), ("\n", "&#xA;"), ("\r", "&#xD;"));

    /// <summary>Shuffles that move a block's bytes from the given index to the front (what is shifted in does not matter).</summary>
    private static readonly Vector128<byte>[] ShiftLeft = [.. Enumerable.Range(0, 17).Select(shift =>
        Vector128.Create([.. Enumerable.Range(0, 16).Select(j => (byte)(j + shift < 16 ? j + shift : 0x80))]))];

    private static ulong[] Replacements(params (string Character, string Replacement)[] replacements)
    {
        var table = new ulong[256];
        Span<byte> word = stackalloc byte[8];
        foreach (var (character, replacement) in replacements)
        {
            word.Clear();
            Encoding.ASCII.GetBytes(replacement, word);
            word[7] = (byte)replacement.Length;
            table[character[0]] = MemoryMarshal.Read<ulong>(word);
        }

        return table;
    }

    /// <summary>
    /// One character (or a surrogate pair, or CR LF) the way XmlWriter writes it with
    /// <c>NewLineHandling.Replace</c> and "\n": line breaks in text become "\n", in attributes character references.
    /// </summary>
    private static int WriteEscapedChar(string text, int i, bool attribute, byte[] buffer, ref int position)
    {
        var c = text[i];
        var entity = c switch
        {
            '&' => "&amp;"u8,
            '<' => "&lt;"u8,
            '>' => "&gt;"u8,
            '"' when attribute => "&quot;"u8,
            '\t' => attribute ? "&#x9;"u8 : "\t"u8,
            '\n' => attribute ? "&#xA;"u8 : "\n"u8,
            '\r' => attribute ? "&#xD;"u8 : "\n"u8,
            _ => default,
        };
        if (!entity.IsEmpty)
        {
            entity.CopyTo(buffer.AsSpan(position));
            position += entity.Length;
            return c == '\r' && !attribute && i + 1 < text.Length && text[i + 1] == '\n' ? i + 2 : i + 1;
        }

        if (c < 0x80)
        {
            if (c < 0x20)
            {
                throw XmlChars.IllegalCharacter(c);
            }

            buffer[position++] = (byte)c;
            return i + 1;
        }

        Rune rune;
        var length = 1;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            rune = new Rune(c, text[i + 1]);
            length = 2;
        }
        else if (char.IsSurrogate(c) || c >= '\uFFFE')
        {
            throw XmlChars.IllegalCharacter(c);
        }
        else
        {
            rune = new Rune(c);
        }

        position += rune.EncodeToUtf8(buffer.AsSpan(position));
        return i + length;
    }

    /// <summary>Room to make for escaping <paramref name="chars"/> characters at the worst.</summary>
    public static int RoomFor(int chars) => chars * MaxBytesPerChar + EscapeSlack;

    /// <summary>CDATA text with each CR LF and lone CR as "\n", as the general writer has it.</summary>
    public static string CDataLineBreaks(string text) =>
        text.Contains('\r') ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    /// <summary>
    /// Where a CDATA section must end and another begin (after the "]]" of a "]]&gt;", which cannot stand inside one),
    /// or -1 when <paramref name="rest"/> fits in one section.
    /// </summary>
    public static int CDataSplit(ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOf("]]>", StringComparison.Ordinal);
        return end < 0 ? -1 : end + 2;
    }
}
