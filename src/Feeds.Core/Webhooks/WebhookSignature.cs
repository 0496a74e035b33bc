using System.Security.Cryptography;
using System.Text;

namespace Feeds.Core.Webhooks;

/// <summary>
/// Signs and verifies deliveries the Standard Webhooks way: HMAC-SHA256 with the secret's key over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>v1,{base64}</c>. While a secret is being
/// rotated both are live and the header carries one signature per secret, separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The tolerance the reference libraries apply to <c>webhook-timestamp</c>.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string Version = "v1";
    private const int SignatureLength = 32;

    /// <summary>The <c>webhook-signature</c> header value for a delivery, one <c>v1,…</c> per secret.</summary>
    public static string Sign(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, IEnumerable<WebhookSecret> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(secrets);
        var builder = new StringBuilder();
        Span<byte> mac = stackalloc byte[SignatureLength];
        foreach (var secret in secrets)
        {
            Compute(secret, messageId, timestampSeconds, body, mac);
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Version).Append(',').Append(Convert.ToBase64String(mac));
        }

        if (builder.Length == 0)
        {
            throw new ArgumentException("At least one secret is needed to sign.", nameof(secrets));
        }

        return builder.ToString();
    }

    public static string Sign(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, WebhookSecret secret) =>
        Sign(messageId, timestampSeconds, body, [secret]);

    /// <summary>
    /// Whether any <c>v1</c> signature in <paramref name="signatureHeader"/> was made with <paramref name="secret"/>.
    /// Signatures are compared in constant time; unknown versions and malformed entries are ignored.
    /// </summary>
    public static bool Verify(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, string? signatureHeader, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(signatureHeader))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        Compute(secret, messageId, timestampSeconds, body, expected);
        Span<byte> candidate = stackalloc byte[SignatureLength + 3];
        var matched = false;
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || part.AsSpan(0, comma) is not Version)
            {
                continue;
            }

            if (Convert.TryFromBase64Chars(part.AsSpan(comma + 1), candidate, out var length) && length == SignatureLength)
            {
                // No early exit: the time taken does not depend on which entry matched.
                matched |= CryptographicOperations.FixedTimeEquals(candidate[..length], expected);
            }
        }

        return matched;
    }

    /// <summary>
    /// <see cref="Verify(string, long, ReadOnlySpan{byte}, string?, WebhookSecret)"/> plus the replay check:
    /// the timestamp must lie within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(
        string messageId, long timestampSeconds, ReadOnlySpan<byte> body, string? signatureHeader, WebhookSecret secret, DateTimeOffset now, TimeSpan tolerance)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var slack = (long)tolerance.TotalSeconds;
        var fresh = timestampSeconds >= nowSeconds - slack && timestampSeconds <= nowSeconds + slack;
        return fresh && Verify(messageId, timestampSeconds, body, signatureHeader, secret);
    }

    private static void Compute(WebhookSecret secret, string messageId, long timestampSeconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.Key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{messageId}.{timestampSeconds}."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
