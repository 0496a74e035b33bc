using System.Globalization;
using System.Security.Cryptography;
using Feeds.Core.ActivityPub;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Checks the HTTP Signature of an inbox POST as Mastodon does: <c>(request-target)</c>, <c>host</c>, <c>date</c> and
/// <c>digest</c> must be signed, the date lie within the window, the digest match the body, and the signature verify
/// under the signer's key, fetched again once if the cached one fails (the actor may have a new key).
/// </summary>
public static class SignedRequest
{
    private static readonly string[] Required = [HttpSignature.RequestTarget, "host", "date", "digest"];

    /// <summary>The verified signer, or null with the reason it was refused.</summary>
    public static async Task<(RemoteActor? Signer, string? Refusal)> VerifyAsync(
        HttpRequest request, ReadOnlyMemory<byte> body, RemoteActors remote, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SignatureHeader.Parse(request.Headers["Signature"].ToString()) is not { } signature)
        {
            return (null, "The request has no valid Signature header.");
        }

        if (Required.FirstOrDefault(h => !signature.Headers.Contains(h)) is { } missing)
        {
            return (null, $"The signature must cover '{missing}'.");
        }

        if (!DateTimeOffset.TryParseExact(request.Headers.Date.ToString(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || (now - date).Duration() > window)
        {
            return (null, "The Date header is missing or outside the accepted window.");
        }

        var digest = request.Headers["Digest"].ToString();
        var expected = HttpSignature.Digest(body.Span);
        if (!digest.Split(',').Any(d => d.Trim().Equals(expected, StringComparison.Ordinal)
                                        || d.Trim().Equals("sha-256=" + expected["SHA-256=".Length..], StringComparison.Ordinal)))
        {
            return (null, "The Digest header does not match the body.");
        }

        var pathAndQuery = request.PathBase + request.Path + request.QueryString;
        string? HeaderValue(string name) =>
            request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(", ", values.ToArray()) : null;

        foreach (var refresh in new[] { false, true })
        {
            if (await remote.GetByKeyIdAsync(signature.KeyId, refresh, cancellationToken) is not { } signer)
            {
                return (null, "The signer's key could not be fetched.");
            }

            using var key = RSA.Create();
            try
            {
                key.ImportFromPem(signer.PublicKeyPem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                return (null, "The signer's key is not an RSA public key.");
            }

            if (HttpSignature.Verify(key, signature, request.Method, pathAndQuery.ToString(), HeaderValue))
            {
                return (signer, null);
            }
        }

        return (null, "The signature does not verify.");
    }
}
