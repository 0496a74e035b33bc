using System.Security.Cryptography;
using Feeds.Data.ActivityPub;

namespace Feeds.Server.ActivityPub;

/// <summary>The site's key pair in memory, loaded (or made) by a start-up step; the private half only ever signs.</summary>
public sealed class SiteKey : IDisposable
{
    private readonly Lock _lock = new();
    private RSA? _rsa;

    public string PublicKeyPem { get; private set; } = "";

    public async Task LoadAsync(SiteKeyStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (publicPem, privatePem) = await store.GetOrCreateAsync(now, cancellationToken);
        var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        lock (_lock)
        {
            _rsa?.Dispose();
            _rsa = rsa;
            PublicKeyPem = publicPem;
        }
    }

    /// <summary>Signs a request's headers as <see cref="Core.ActivityPub.HttpSignature.Sign"/> does.</summary>
    public string Sign(string keyId, string method, string pathAndQuery, IReadOnlyList<string> headers, Func<string, string?> headerValue)
    {
        lock (_lock)
        {
            var rsa = _rsa ?? throw new InvalidOperationException("The site key has not been loaded.");
            return Core.ActivityPub.HttpSignature.Sign(rsa, keyId, method, pathAndQuery, headers, headerValue);
        }
    }

    public void Dispose() => _rsa?.Dispose();
}
