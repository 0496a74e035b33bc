using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Feeds.Core.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> followed by the base64 of the key bytes.
/// Generated secrets have 32 random bytes; parsed ones may have 24 to 64, the range the
/// specification recommends, so subscribers can bring a secret from another system.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int GeneratedKeyLength = 32;
    public const int MinKeyLength = 24;
    public const int MaxKeyLength = 64;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The secret as subscribers copy it: <c>whsec_…</c>.</summary>
    public string Encoded => Prefix + Convert.ToBase64String(_key);

    internal ReadOnlySpan<byte> Key => _key;

    public static WebhookSecret Generate() => new(RandomNumberGenerator.GetBytes(GeneratedKeyLength));

    /// <summary>Parses <paramref name="text"/>; <paramref name="problem"/> says what is wrong when it fails.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookSecret? secret, [NotNullWhen(false)] out string? problem)
    {
        secret = null;
        if (string.IsNullOrEmpty(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"A webhook secret starts with \"{Prefix}\".";
            return false;
        }

        var encoded = text.AsSpan(Prefix.Length);
        var key = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, key, out var length))
        {
            problem = $"The part after \"{Prefix}\" is not valid base64.";
            return false;
        }

        if (length is < MinKeyLength or > MaxKeyLength)
        {
            problem = $"A webhook secret holds {MinKeyLength} to {MaxKeyLength} bytes; this one holds {length}.";
            return false;
        }

        secret = new WebhookSecret(key[..length]);
        problem = null;
        return true;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a valid secret.</exception>
    public static WebhookSecret Parse(string text) =>
        TryParse(text, out var secret, out var problem) ? secret : throw new FormatException(problem);

    /// <summary>Never the secret itself, so a secret in a log line or exception message stays secret.</summary>
    public override string ToString() => Prefix + "…";
}
