using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>
/// Turns a body's bytes into text. Order of evidence: a byte order mark (UTF-8, UTF-16, UTF-32); the shape of the
/// first characters, as XML 1.0 Appendix F describes (<c>&lt;</c> or <c>{</c> in UTF-32 or UTF-16 without a mark,
/// <c>&lt;?xm</c> in EBCDIC); the bytes themselves when they are valid UTF-8 with non-ASCII characters (publishers
/// often mislabel UTF-8, and text in another encoding is practically never valid UTF-8 by accident); the XML
/// declaration; the HTTP charset; and finally Windows-1252 for bytes that are not UTF-8 and carry no usable label.
/// Labels are read as browsers read them (WHATWG Encoding): ISO-8859-1 and US-ASCII mean Windows-1252, ISO-8859-9
/// Windows-1254, TIS-620 and ISO-8859-11 Windows-874, so a 0x92 byte is a right quotation mark, never a C1 control.
/// </summary>
internal static class FeedEncoding
{
    // Registering the code pages in the initializer of the value every label lookup reads first (see GetEncoding).
    public static Encoding Windows1252 { get; } = RegisterCodePages();

    public static string Decode(ReadOnlySpan<byte> bytes, string? httpContentType)
    {
        var encoding = Detect(bytes, httpContentType, out var preambleLength);
        var text = encoding.GetString(bytes[preambleLength..]);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    public static Encoding Detect(ReadOnlySpan<byte> bytes, string? httpContentType, out int preambleLength)
    {
        preambleLength = 0;
        // UTF-32 first: its little-endian mark begins with UTF-16's.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            preambleLength = 4;
            return Utf32BigEndian;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            preambleLength = 4;
            return Utf32LittleEndian;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            preambleLength = 3;
            return Utf8Or1252(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            preambleLength = 2;
            return Encoding.Unicode;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            preambleLength = 2;
            return Encoding.BigEndianUnicode;
        }

        // Without a mark, UTF-32 and UTF-16 still show their shape in the first character, '<' or '{' (or leading whitespace).
        if (bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] != 0)
        {
            return Utf32BigEndian;
        }

        if (bytes.Length >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
        {
            return Utf32LittleEndian;
        }

        // "<?xm" in EBCDIC: the declaration names the code page, and IBM037 reads the declaration itself.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x4C, 0x6F, 0xA7, 0x94]))
        {
            var ebcdic = GetEncoding("ibm037")!;
            var ebcdicLabel = DeclaredIn(ebcdic.GetString(bytes[..Math.Min(bytes.Length, 256)]));
            return (ebcdicLabel is null ? null : GetEncoding(ebcdicLabel)) ?? ebcdic;
        }

        if (bytes.Length >= 2 && bytes[0] == 0 && bytes[1] != 0)
        {
            return Encoding.BigEndianUnicode;
        }

        if (bytes.Length >= 2 && bytes[0] != 0 && bytes[1] == 0)
        {
            return Encoding.Unicode;
        }

        var utf8 = Utf8State(bytes);
        if (utf8 == Utf8Kind.ValidWithNonAscii)
        {
            return Encoding.UTF8;
        }

        var label = DeclaredInProlog(bytes) ?? CharsetOf(httpContentType);
        var declared = label is null ? null : GetEncoding(label);
        if (declared is not null && declared.CodePage is not (65001 or 1200 or 1201 or 12000 or 12001))
        {
            return declared;
        }

        return utf8 == Utf8Kind.Invalid ? Windows1252 : Encoding.UTF8;
    }

    /// <summary>The charset parameter of a Content-Type header value, unquoted.</summary>
    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        foreach (var part in contentType.Split(';'))
        {
            var pair = part.Trim();
            if (pair.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))
            {
                var value = pair["charset=".Length..].Trim().Trim('"', '\'').Trim();
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    /// <summary>
    /// The encoding for a label. ISO-8859-1 and US-ASCII are read as Windows-1252, as browsers do: documents
    /// labelled so routinely contain Windows-1252 punctuation, and the C1 controls they would otherwise decode to are never meant.
    /// </summary>
    public static Encoding? GetEncoding(string label)
    {
        // The type has no static constructor, so its initializer, which registers the code pages, may run as late as the
        // first read of Windows1252; reading it here makes labels such as iso-8859-15 known on the very first lookup.
        _ = Windows1252;
        var name = label.Trim().ToLowerInvariant();
        name = name switch
        {
            "iso-8859-1" or "iso8859-1" or "latin1" or "latin-1" or "l1" or "us-ascii" or "ascii" or "iso_8859-1" or "cp1252" or "iso-ir-100" or "cp819" => "windows-1252",
            "iso-8859-9" or "iso8859-9" or "latin5" or "l5" or "iso_8859-9" => "windows-1254",
            "tis-620" or "iso-8859-11" or "iso8859-11" => "windows-874",
            "gb2312" or "x-gbk" or "gbk" => "gb18030",
            "ks_c_5601-1987" or "euc-kr" or "korean" => "ks_c_5601-1987",
            "utf8" or "unicode-1-1-utf-8" => "utf-8",
            _ => name,
        };

        // The label nearly every feed carries; answered here because the registered code page provider is consulted first and is slow to say no.
        if (name == "utf-8")
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static readonly Encoding Utf32BigEndian = new UTF32Encoding(bigEndian: true, byteOrderMark: false);

    private static readonly Encoding Utf32LittleEndian = new UTF32Encoding(bigEndian: false, byteOrderMark: false);

    private static Encoding RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private static Encoding Utf8Or1252(ReadOnlySpan<byte> bytes) =>
        Utf8State(bytes) == Utf8Kind.Invalid ? Windows1252 : Encoding.UTF8;

    private enum Utf8Kind
    {
        Ascii,
        ValidWithNonAscii,
        Invalid,
    }

    private static Utf8Kind Utf8State(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes))
        {
            return Utf8Kind.Ascii;
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Utf8Kind.ValidWithNonAscii : Utf8Kind.Invalid;
    }

    /// <summary>The encoding named in an XML declaration at the very start of the bytes (ASCII-compatible encodings only).</summary>
    private static string? DeclaredInProlog(ReadOnlySpan<byte> bytes)
    {
        var start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        var head = bytes[start..];
        if (!head.StartsWith("<?xml"u8))
        {
            return null;
        }

        var end = head.IndexOf("?>"u8);
        if (end < 0 || end > 512)
        {
            return null;
        }

        return DeclaredIn(Encoding.ASCII.GetString(head[..end]));
    }

    /// <summary>The value of the <c>encoding</c> pseudo-attribute in the start of a decoded XML declaration.</summary>
    private static string? DeclaredIn(string declaration)
    {
        var end = declaration.IndexOf("?>", StringComparison.Ordinal);
        if (end >= 0)
        {
            declaration = declaration[..end];
        }

        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = declaration.AsSpan(at + "encoding".Length).TrimStart(" \t\r\n=");
        if (rest.Length == 0 || rest[0] is not ('"' or '\''))
        {
            return null;
        }

        var close = rest[1..].IndexOf(rest[0]);
        return close <= 0 ? null : rest.Slice(1, close).ToString();
    }
}
