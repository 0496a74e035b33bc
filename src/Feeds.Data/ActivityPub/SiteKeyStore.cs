using System.Security.Cryptography;
using Dapper;

namespace Feeds.Data.ActivityPub;

/// <summary>
/// The site's RSA key pair, which signs everything it sends to the fediverse. Made once, on the first start with
/// ActivityPub on, and kept.
/// </summary>
public sealed class SiteKeyStore(Database database)
{
    private const string SiteKeyId = "site";

    /// <summary>
    /// The stored key pair as PEM, made and stored first when there is none. Two nodes starting at once both make one,
    /// and both then use the one stored first.
    /// </summary>
    public async Task<(string PublicKeyPem, string PrivateKeyPem)> GetOrCreateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (await ReadAsync(connection, null, cancellationToken) is { } stored)
            {
                return stored;
            }
        }

        using var rsa = RSA.Create(2048);
        var made = (rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportPkcs8PrivateKeyPem());
        return await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into activitypub_keys (id, public_key_pem, private_key_pem, created_at)
                values (@Id, @PublicKeyPem, @PrivateKeyPem, @Now)
                on conflict (id) do nothing
                """,
                new { Id = SiteKeyId, PublicKeyPem = made.Item1, PrivateKeyPem = made.Item2, Now = now },
                transaction,
                cancellationToken: cancellationToken));
            return (await ReadAsync(connection, transaction, cancellationToken))!.Value;
        }, cancellationToken);
    }

    private static async Task<(string, string)?> ReadAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction? transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            "select public_key_pem as PublicKeyPem, private_key_pem as PrivateKeyPem from activitypub_keys where id = @Id",
            new { Id = SiteKeyId },
            transaction,
            cancellationToken: cancellationToken));
        return row is null ? null : (row.PublicKeyPem, row.PrivateKeyPem);
    }

    private sealed class KeyRow
    {
        public string PublicKeyPem { get; init; } = "";
        public string PrivateKeyPem { get; init; } = "";
    }
}
