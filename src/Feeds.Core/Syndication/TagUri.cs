using System.Buffers;
using System.Globalization;
using System.Text;

namespace Feeds.Core.Syndication;

/// <summary>
/// The text of a <c>tag:</c> URI (RFC 4151), which allows only URI characters: tag slugs keep letters of any
/// script, so whatever lies outside RFC 3986's unreserved and reserved characters is percent-encoded as UTF-8.
/// Text that needs nothing encoded, as every id built from ASCII slugs, is returned unchanged, so ids already served stay.
/// </summary>
internal static class TagUri
{
    /// <summary>Unreserved characters, reserved (general and sub-) delimiters, and '%' (RFC 3986 section 2).</summary>
    private static readonly SearchValues<char> UriCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%");

    /// <summary>
    /// A tagging entity's authority (a domain name or an e-mail address) as RFC 4151 wants it: an internationalised domain
    /// in punycode, like any DNS name, and the rest escaped.
    /// </summary>
    public static string Authority(string authority)
    {
        var at = authority.LastIndexOf('@');
        var domain = authority[(at + 1)..];
        if (!Ascii.IsValid(domain))
        {
            try
            {
                domain = new IdnMapping().GetAscii(domain);
            }
            catch (ArgumentException)
            {
                // Not a name IDNA can map; escaping still makes it a URI.
            }
        }

        return Escape(authority[..(at + 1)] + domain);
    }

    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAnyExcept(UriCharacters);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.AsSpan(first).EnumerateRunes())
        {
            if (rune.IsAscii && UriCharacters.Contains((char)rune.Value))
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                escaped.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }

        return escaped.ToString();
    }

    private const string HexDigits = "0123456789ABCDEF";
}
