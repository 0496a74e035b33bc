using System.Data;
using Dapper;

namespace Feeds.Data.Delivery;

/// <summary>
/// Claims on the rows of a table of pending deliveries (webhook messages, the shared outbox), so that of all the nodes
/// looking at one database only one attempts a delivery at a time. A claim names its node (<c>claimed_by</c>) and holds
/// until <c>claimed_until</c>: the node renews it while the attempt runs and clears it when the result is stored, and
/// the claim of a node that died runs out, after which another node takes the delivery. Delivery stays at least once.
/// </summary>
/// <remarks>The table has <c>id</c>, <c>status</c>, <c>claimed_by</c> and <c>claimed_until</c> columns.</remarks>
public sealed class DeliveryClaims
{
    private readonly Database _database;
    private readonly string _lockSql;
    private readonly string _claimSql;
    private readonly string _renewSql;
    private readonly string _releaseSql;
    private readonly string _releaseAllSql;

    public DeliveryClaims(Database database, string table)
    {
        _database = database;
        var dialect = database.Dialect;
        // Locked, passing over rows a concurrent claim holds (PostgreSQL), and claimed only while still unclaimed.
        _lockSql = $"""
            select id from {table}
            where {dialect.In("id", "@Ids")} and status = 'pending' and (claimed_until is null or claimed_until <= @Now)
            {dialect.SkipLocked}
            """;
        _claimSql = $"update {table} set claimed_by = @Node, claimed_until = @Until where {dialect.In("id", "@Ids")}";
        _renewSql = $"update {table} set claimed_until = @Until where claimed_by = @Node and status = 'pending'";
        _releaseSql = $"update {table} set claimed_by = null, claimed_until = null where claimed_by = @Node and {dialect.In("id", "@Ids")}";
        _releaseAllSql = $"update {table} set claimed_by = null, claimed_until = null where claimed_by is not null";
    }

    /// <summary>
    /// Claims for <paramref name="node"/> until <paramref name="until"/> those of <paramref name="candidates"/> that are
    /// still pending and unclaimed, inside the caller's write.
    /// </summary>
    /// <returns>The ids claimed, in the order of <paramref name="candidates"/>.</returns>
    public async Task<IReadOnlyList<string>> ClaimAsync(
        IDbConnection connection, IDbTransaction transaction, IReadOnlyList<string> candidates, string node, DateTimeOffset now, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            _lockSql, new { Ids = candidates.ToArray(), Now = now }, transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return [];
        }

        await connection.ExecuteAsync(new CommandDefinition(
            _claimSql, new { Node = node, Until = until, Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
        return [.. candidates.Where(ids.Contains)];
    }

    /// <summary>Extends the claims of <paramref name="node"/>'s deliveries in flight to <paramref name="until"/>.</summary>
    public Task RenewAsync(string node, DateTimeOffset until, CancellationToken cancellationToken) =>
        _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            _renewSql, new { Node = node, Until = until }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Gives back claims <paramref name="node"/> will not use after all, so the deliveries are due again at once.</summary>
    public Task ReleaseAsync(string node, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? Task.CompletedTask : _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            _releaseSql, new { Node = node, Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// At a dispatcher's start: on SQLite, where the starting process is the only node, every claim is a dead process's,
    /// and is given back at once; on PostgreSQL the claims of other nodes, dead or alive, run out on their own.
    /// </summary>
    public Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken) =>
        _database.Provider != DatabaseProvider.Sqlite ? Task.CompletedTask : _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            _releaseAllSql, transaction: transaction, cancellationToken: cancellationToken)), cancellationToken);
}
