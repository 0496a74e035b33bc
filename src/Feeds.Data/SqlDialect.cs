using System.Data;
using Npgsql;

namespace Feeds.Data;

/// <summary>
/// The few places where SQLite's and PostgreSQL's SQL differ for the stores, written once. Everything else the stores
/// say is the same text for both.
/// </summary>
public abstract class SqlDialect
{
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    public static SqlDialect Postgres { get; } = new PostgresDialect();

    /// <summary>The dialect of the engine <paramref name="connection"/> talks to.</summary>
    public static SqlDialect Of(IDbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;

    /// <summary>
    /// <paramref name="column"/> is one of the list Dapper binds to <paramref name="listParameter"/>. Dapper expands a list
    /// into one parameter per item where the engine has no arrays (SQLite), but hands PostgreSQL one array parameter.
    /// </summary>
    public abstract string In(string column, string listParameter);

    /// <summary>
    /// A statement that holds the text <c>@Key</c> for the rest of the write's transaction, so that concurrent writes
    /// about to claim the same thing (a slug made from one title) go one after another instead of colliding and running
    /// again; null where a write already holds the whole database (SQLite).
    /// </summary>
    public abstract string? HoldKeySql { get; }

    /// <summary>
    /// The hint that makes a statement read <paramref name="index"/>, where the engine's planner has no statistics to
    /// choose it by (SQLite without <c>ANALYZE</c>); empty where the planner has them (PostgreSQL).
    /// </summary>
    public abstract string IndexedBy(string index);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string In(string column, string listParameter) => $"{column} in {listParameter}";

        public override string? HoldKeySql => null;

        public override string IndexedBy(string index) => $"indexed by {index}";
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string In(string column, string listParameter) => $"{column} = any({listParameter})";

        // The two-key form, in a key space of its own: 1 is "a slug".
        public override string? HoldKeySql => "select pg_advisory_xact_lock(1, hashtext(@Key))";

        public override string IndexedBy(string index) => "";
    }
}
