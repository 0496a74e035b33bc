using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Feeds.Data.Tokens;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Auth;

/// <summary>Issues and checks bearer tokens: the configured admin token, and tokens stored as hashes.</summary>
public sealed class ApiTokens
{
    public const string Prefix = "feeds_";

    private readonly TokenStore _store;
    private readonly byte[] _adminHash;

    public ApiTokens(TokenStore store, IOptions<FeedsOptions> options, AdminTokenFile adminToken)
    {
        _store = store;
        _adminHash = Hash(options.Value.AdminToken is { Length: > 0 } configured ? configured : adminToken.ReadOrCreate());
    }

    /// <summary>A new random token (shown to its owner once) and the hash that is stored.</summary>
    public static (string Token, string Hash) Generate()
    {
        var token = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Convert.ToHexStringLower(Hash(token)));
    }

    /// <summary>Whether <paramref name="token"/> is the admin token: what a first visit to the desk proves it holds.</summary>
    public bool IsAdminToken(string? token) =>
        !string.IsNullOrEmpty(token) && CryptographicOperations.FixedTimeEquals(Hash(token.Trim()), _adminHash);

    /// <summary>The name of the token's owner, or null when the token is not valid.</summary>
    public async Task<string?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        if (CryptographicOperations.FixedTimeEquals(hash, _adminHash))
        {
            return "admin";
        }

        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var found = await _store.FindLiveAsync(Convert.ToHexStringLower(hash), cancellationToken);
        return found is { } live && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(live.Hash), hash) ? live.Name : null;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
