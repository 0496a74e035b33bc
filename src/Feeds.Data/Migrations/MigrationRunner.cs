using System.Data;
using Dapper;

namespace Feeds.Data.Migrations;

/// <summary>
/// Applies a provider's migrations in order, each recorded in <c>schema_migrations</c>, inside the caller's transaction:
/// a start-up either migrates the schema whole or leaves it as it was.
/// </summary>
/// <remarks>
/// Each provider has its own list (<see cref="SqliteMigrations"/>, <see cref="PostgresMigrations"/>) because their
/// types and DDL differ, but the two lists move in step: version N is the same change in both, under the same name, so
/// a database of either kind at version N holds the same tables and columns and can be copied into the other. To change
/// the schema, append one entry of the next version to each list; never edit or reorder a deployed one.
/// </remarks>
public static class MigrationRunner
{
    public static async Task ApplyAsync(IReadOnlyList<Migration> migrations, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            create table if not exists schema_migrations (
                version integer primary key,
                name text not null,
                applied_at text not null
            )
            """,
            transaction: transaction,
            cancellationToken: cancellationToken));

        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "select version from schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var newest = migrations.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(
                $"the database is at schema version {applied.Max()}, newer than this build knows ({newest}); run a newer build");
        }

        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"migration {migration.Version} ({migration.Name}) failed: {e.Message}", e);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "insert into schema_migrations (version, name, applied_at) values (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = DateTimeOffset.UtcNow },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>The newest version a database holds; 0 for one never migrated.</summary>
    public static async Task<long> VersionAsync(IDbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition("select max(version) from schema_migrations", cancellationToken: cancellationToken)) ?? 0;
}
