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

    private sealed class SqliteDialect : SqlDialect
    {
        public override string In(string column, string listParameter) => $"{column} in {listParameter}";
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string In(string column, string listParameter) => $"{column} = any({listParameter})";
    }
}
