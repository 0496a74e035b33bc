using System.Data.Common;
using Dapper;
using Feeds.Data.Migrations;
using Feeds.Data.Postgres;
using Feeds.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Feeds.Data.Copying;

/// <summary>How many rows of one table a copy wrote.</summary>
public sealed record TableCopy(string Table, long Rows);

/// <summary>
/// Copies a SQLite database into an empty PostgreSQL one, row for row: every id, slug, entry id, source, webhook endpoint
/// and its secrets, token hash, outbox message and rendered feed stays what it was, so readers, subscribers and API
/// clients notice nothing but the move. Both are first migrated to this build's schema, whose versions move in step
/// (<see cref="MigrationRunner"/>), so they hold the same tables and columns. The copy is one PostgreSQL transaction read
/// from one SQLite snapshot: it lands whole or not at all. The service should be stopped while it runs, or writes made
/// meanwhile stay behind in the SQLite file.
/// </summary>
public static class SqliteToPostgresCopy
{
    /// <summary>Tables whose rows the migrations themselves insert; the copy replaces them with the source's.</summary>
    private static readonly HashSet<string> SeededByMigrations = new(StringComparer.Ordinal) { "id_sequences" };

    /// <summary>
    /// Tables each engine keeps in its own form and fills from the posts at start (the search index): not copied.
    /// </summary>
    private static readonly HashSet<string> DerivedFromPosts = new(StringComparer.Ordinal) { "search_docs" };

    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(SqliteDatabase source, PostgresDatabase target, CancellationToken cancellationToken)
    {
        if (!File.Exists(source.Path))
        {
            throw new DatabaseCopyException($"there is no SQLite database at {source.Path}");
        }

        await source.InitializeAsync(cancellationToken);
        await target.InitializeAsync(cancellationToken);

        await using var from = (SqliteConnection)await source.OpenAsync(cancellationToken);
        await using var to = (NpgsqlConnection)await target.OpenAsync(cancellationToken);
        await using var snapshot = from.BeginTransaction(deferred: true);
        await using var transaction = await to.BeginTransactionAsync(cancellationToken);

        var tables = (await TablesInDependencyOrderAsync(to, cancellationToken)).Where(t => !DerivedFromPosts.Contains(t)).ToList();
        foreach (var table in tables.Where(t => !SeededByMigrations.Contains(t)))
        {
            if (await to.ExecuteScalarAsync<bool>(new CommandDefinition($"select exists (select 1 from {table})", transaction: transaction, cancellationToken: cancellationToken)))
            {
                throw new DatabaseCopyException($"the PostgreSQL database is not empty: table {table} holds rows; copy only into a new database");
            }
        }

        var copied = new List<TableCopy>(tables.Count);
        foreach (var table in tables)
        {
            if (SeededByMigrations.Contains(table))
            {
                await to.ExecuteAsync(new CommandDefinition($"delete from {table}", transaction: transaction, cancellationToken: cancellationToken));
            }

            copied.Add(new TableCopy(table, await CopyTableAsync(from, snapshot, to, table, cancellationToken)));
        }

        await ContinueIdentitiesAsync(to, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return copied;
    }

    /// <summary>Copies one table's rows with PostgreSQL's binary COPY, each value written as the target column's type.</summary>
    private static async Task<long> CopyTableAsync(SqliteConnection from, SqliteTransaction snapshot, NpgsqlConnection to, string table, CancellationToken cancellationToken)
    {
        var columns = (await to.QueryAsync<(string Name, string Type)>(new CommandDefinition(
            """
            select column_name, data_type from information_schema.columns
            where table_schema = current_schema() and table_name = @table
            order by ordinal_position
            """,
            new { table },
            cancellationToken: cancellationToken))).ToList();
        var sourceColumns = (await from.QueryAsync<string>(new CommandDefinition(
            "select name from pragma_table_info(@table)", new { table }, snapshot, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        if (sourceColumns.Count == 0)
        {
            throw new DatabaseCopyException($"the SQLite database has no table {table}");
        }

        if (!sourceColumns.SetEquals(columns.Select(c => c.Name)))
        {
            throw new DatabaseCopyException(
                $"table {table} has columns ({string.Join(", ", sourceColumns.Order())}) in SQLite but ({string.Join(", ", columns.Select(c => c.Name).Order())}) in PostgreSQL");
        }

        var list = string.Join(", ", columns.Select(c => c.Name));
        await using var read = from.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = $"select {list} from {table}";
        await using var rows = await read.ExecuteReaderAsync(cancellationToken);
        await using var write = await to.BeginBinaryImportAsync($"copy {table} ({list}) from stdin (format binary)", cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            await write.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                await WriteValueAsync(write, rows, i, table, columns[i], cancellationToken);
            }
        }

        return (long)await write.CompleteAsync(cancellationToken);
    }

    private static async Task WriteValueAsync(
        NpgsqlBinaryImporter write, DbDataReader rows, int ordinal, string table, (string Name, string Type) column, CancellationToken cancellationToken)
    {
        if (await rows.IsDBNullAsync(ordinal, cancellationToken))
        {
            await write.WriteNullAsync(cancellationToken);
            return;
        }

        switch (column.Type)
        {
            case "text":
                await write.WriteAsync(rows.GetString(ordinal), NpgsqlDbType.Text, cancellationToken);
                break;
            case "bigint":
                await write.WriteAsync(rows.GetInt64(ordinal), NpgsqlDbType.Bigint, cancellationToken);
                break;
            case "integer":
                await write.WriteAsync(rows.GetInt32(ordinal), NpgsqlDbType.Integer, cancellationToken);
                break;
            case "bytea":
                await write.WriteAsync((byte[])rows.GetValue(ordinal), NpgsqlDbType.Bytea, cancellationToken);
                break;
            default:
                throw new DatabaseCopyException($"column {table}.{column.Name} has the type {column.Type}, which the copy does not know");
        }
    }

    /// <summary>
    /// Moves each identity column's sequence past the ids copied into it: COPY writes the ids it is given and leaves the
    /// sequence where it was, so the next insert would take an id already used.
    /// </summary>
    private static async Task ContinueIdentitiesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var identities = await connection.QueryAsync<(string Table, string Column)>(new CommandDefinition(
            """
            select table_name, column_name from information_schema.columns
            where table_schema = current_schema() and is_identity = 'YES'
            """,
            cancellationToken: cancellationToken));
        foreach (var (table, column) in identities)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"select setval(pg_get_serial_sequence(@table, @column), coalesce(max({column}), 0) + 1, false) from {table}",
                new { table, column },
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>The schema's tables (not the migrations' own), each after the tables its foreign keys refer to.</summary>
    private static async Task<IReadOnlyList<string>> TablesInDependencyOrderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            select table_name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
            order by table_name
            """,
            cancellationToken: cancellationToken))).ToList();
        var references = (await connection.QueryAsync<(string Table, string Referenced)>(new CommandDefinition(
            """
            select c.conrelid::regclass::text, c.confrelid::regclass::text
            from pg_constraint c
            where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
            """,
            cancellationToken: cancellationToken))).ToLookup(r => r.Table, r => r.Referenced);

        var ordered = new List<string>(tables.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(string table, int depth)
        {
            if (placed.Contains(table))
            {
                return;
            }

            if (depth > tables.Count)
            {
                throw new DatabaseCopyException($"the foreign keys through {table} go round in a circle");
            }

            foreach (var referenced in references[table].Where(r => r != table))
            {
                Place(referenced, depth + 1);
            }

            placed.Add(table);
            ordered.Add(table);
        }

        foreach (var table in tables)
        {
            Place(table, 0);
        }

        return ordered;
    }
}
