using System.Security.Cryptography;
using System.Text.Json;
using Feeds.Data.Posts;

namespace Feeds.Server.Posts;

/// <summary>
/// The keys that make sending a request again a no-op: an <c>Idempotency-Key</c> header, or an import item's
/// <c>importKey</c>. Either is stored with the hash of the request it came with, so reusing it for a different request
/// is told apart from a retry.
/// </summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 255;

    /// <summary>The message for a key that is not <see cref="IsValid"/>.</summary>
    public static readonly string[] Problem = [$"must be 1 to {MaxLength} printable ASCII characters."];

    /// <summary>1 to <see cref="MaxLength"/> printable ASCII characters: what fits a header value and the key column.</summary>
    public static bool IsValid(string key) => key.Length is > 0 and <= MaxLength && !key.Any(c => c is < '!' or > '~');

    /// <summary>The stored key for <paramref name="key"/>, with the hash of <paramref name="request"/> as read.</summary>
    public static IdempotencyKey For<T>(string key, T request, JsonSerializerOptions json) =>
        new(key, Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json))));
}
