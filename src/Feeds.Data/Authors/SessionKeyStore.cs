using Dapper;

namespace Feeds.Data.Authors;

/// <summary>
/// The keys that protect desk sessions and form tokens (ASP.NET Core Data Protection's key ring, as the XML it writes),
/// kept in the database so that every node of a cluster reads the cookies any node wrote, and a restart keeps them.
/// </summary>
public sealed class SessionKeyStore(Database database, TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "select xml from data_protection_keys order by created_at, name", cancellationToken: cancellationToken))];
    }

    /// <summary>Adds a key under its unique <paramref name="name"/>; a key is never changed once written.</summary>
    public Task AddAsync(string name, string xml, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "insert into data_protection_keys (name, xml, created_at) values (@Name, @Xml, @Now) on conflict (name) do nothing",
            new { Name = name, Xml = xml, Now = clock.GetUtcNow() },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);
}
