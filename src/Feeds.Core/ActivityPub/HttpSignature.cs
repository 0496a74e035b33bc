using System.Security.Cryptography;
using System.Text;

namespace Feeds.Core.ActivityPub;

/// <summary>
/// HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12 with <c>rsa-sha256</c>, the way Mastodon
/// signs and checks): a signing string of the named headers, lower-cased, one <c>name: value</c> per line, with the
/// pseudo-header <c>(request-target)</c> (the method in lower case, a space, the path and query), signed with
/// RSASSA-PKCS1-v1_5 over SHA-256. Header values are read through a function, so requests of any shape can be signed
/// or checked.
/// </summary>
public static class HttpSignature
{
    public const string Algorithm = "rsa-sha256";

    public const string RequestTarget = "(request-target)";

    /// <summary>What Mastodon signs on a POST; a GET signs the same less <c>digest</c>.</summary>
    public static IReadOnlyList<string> PostHeaders { get; } = [RequestTarget, "host", "date", "digest", "content-type"];

    public static IReadOnlyList<string> GetHeaders { get; } = [RequestTarget, "host", "date"];

    /// <summary>The <c>Digest</c> header of a body: <c>SHA-256=</c> and the base64 of its hash (RFC 3230).</summary>
    public static string Digest(ReadOnlySpan<byte> body) => "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>The string the draft signs; null when a named header is missing.</summary>
    public static string? SigningString(string method, string pathAndQuery, IReadOnlyList<string> headers, Func<string, string?> headerValue)
    {
        var text = new StringBuilder();
        foreach (var name in headers)
        {
            var value = name == RequestTarget ? method.ToLowerInvariant() + " " + pathAndQuery : headerValue(name);
            if (value is null)
            {
                return null;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(name).Append(": ").Append(value.Trim());
        }

        return text.ToString();
    }

    /// <summary>A <c>Signature</c> header value over <paramref name="headers"/>, each of which must be present.</summary>
    public static string Sign(RSA key, string keyId, string method, string pathAndQuery, IReadOnlyList<string> headers, Func<string, string?> headerValue)
    {
        var text = SigningString(method, pathAndQuery, headers, headerValue)
            ?? throw new ArgumentException("Every header to be signed must be present.", nameof(headers));
        var signature = key.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new SignatureHeader(keyId, Algorithm, [.. headers], signature).Format();
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s over the request as it is.</summary>
    public static bool Verify(RSA key, SignatureHeader signature, string method, string pathAndQuery, Func<string, string?> headerValue)
    {
        // hs2019 is what newer software writes for the same RSA signature; anything else is another algorithm.
        if (signature.Algorithm is not (null or Algorithm or "hs2019"))
        {
            return false;
        }

        var text = SigningString(method, pathAndQuery, signature.Headers, headerValue);
        return text is not null
            && key.VerifyData(Encoding.UTF8.GetBytes(text), signature.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
