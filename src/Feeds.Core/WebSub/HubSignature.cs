using System.Security.Cryptography;
using System.Text;

namespace Feeds.Core.WebSub;

/// <summary>
/// <c>X-Hub-Signature</c> (WebSub section 8): <c>method=signature</c>, the signature being the lower-case hex HMAC of the
/// whole body under the subscriber's secret. The hub signs with <c>sha256</c>; a subscriber accepts any method the
/// recommendation names (<c>sha1</c>, <c>sha256</c>, <c>sha384</c>, <c>sha512</c>).
/// </summary>
public static class HubSignature
{
    public const string Header = "X-Hub-Signature";

    /// <summary>The recommendation's limit on <c>hub.secret</c>: less than 200 bytes.</summary>
    public const int MaxSecretBytes = 199;

    /// <summary>The header value for <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> under <paramref name="secret"/>, compared in constant time.</summary>
    public static bool Verify(string? header, string secret, ReadOnlySpan<byte> body)
    {
        var equals = header?.IndexOf('=', StringComparison.Ordinal) ?? -1;
        if (header is null || equals <= 0)
        {
            return false;
        }

        var key = Encoding.UTF8.GetBytes(secret);
        byte[]? expected = header[..equals].Trim().ToLowerInvariant() switch
        {
#pragma warning disable CA5350 // Section 8 lets hubs sign with sha1, and many still do; refusing it would refuse their pushes.
            "sha1" => HMACSHA1.HashData(key, body),
#pragma warning restore CA5350
            "sha256" => HMACSHA256.HashData(key, body),
            "sha384" => HMACSHA384.HashData(key, body),
            "sha512" => HMACSHA512.HashData(key, body),
            _ => null,
        };
        if (expected is null)
        {
            return false;
        }

        var given = header[(equals + 1)..].Trim();
        if (given.Length != expected.Length * 2)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(given), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
