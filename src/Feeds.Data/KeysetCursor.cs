using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Feeds.Data;

/// <summary>
/// Keyset cursors for every paged list: the sort key of a page's last row, handed to clients as opaque base64url text
/// (safe in a query string as it stands) and read back the same way. Clients only echo them, so what a key holds can
/// change without breaking anyone.
/// </summary>
public static class KeysetCursor
{
    /// <summary>Longer text is no cursor handed out, and is refused before it is decoded.</summary>
    public const int MaxLength = 100;

    private const char Separator = '|';

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes a key of one or more parts, none of which may hold <c>|</c>.</summary>
    public static string Encode(params ReadOnlySpan<string> parts) => Base64Url.EncodeToString(StrictUtf8.GetBytes(string.Join(Separator, parts)));

    /// <summary>Decodes a cursor of <paramref name="count"/> parts; false for anything <see cref="Encode"/> did not make.</summary>
    public static bool TryDecode(string? text, int count, [NotNullWhen(true)] out string[]? parts)
    {
        parts = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        try
        {
            var decoded = StrictUtf8.GetString(Base64Url.DecodeFromChars(text)).Split(Separator);
            if (decoded.Length == count)
            {
                parts = decoded;
                return true;
            }
        }
        catch (FormatException)
        {
        }
        catch (DecoderFallbackException)
        {
        }

        return false;
    }
}
