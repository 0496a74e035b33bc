using System.Data;
using System.Data.Common;
using Feeds.Data.Postgres;
using Feeds.Data.Sqlite;

namespace Feeds.Data;

/// <summary>
/// The database the stores share, whichever engine holds it: how a read gets a connection, how a write gets a
/// transaction, and the schema's migrations. The stores keep their SQL within what both engines accept and put what
/// differs in one place each; everything an engine needs of its own (SQLite's writer connection, group commit and
/// checkpoints; PostgreSQL's data source and retries) stays in its subclass.
/// </summary>
public abstract class Database : IDisposable
{
    static Database() => StoredValues.Register();

    /// <summary>The engine for <paramref name="provider"/>: a SQLite file at <paramref name="target"/>, or the PostgreSQL database its connection string names.</summary>
    public static Database Create(DatabaseProvider provider, string target) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDatabase(target),
        DatabaseProvider.Postgres => new PostgresDatabase(target),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a database provider"),
    };

    public abstract DatabaseProvider Provider { get; }

    /// <summary>What of the stores' SQL this engine says its own way.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>An open connection for reads. Writes go through <see cref="WriteAsync{T}"/>.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and returns once it is committed. Any exception rolls back
    /// everything <paramref name="work"/> wrote and reaches the caller: nothing half-written is ever stored.
    /// <paramref name="work"/> may run more than once (PostgreSQL runs it again after a conflict with a concurrent
    /// writer), so it writes only through the transaction and keeps what it collects inside itself.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken);

    public Task WriteAsync(Func<DbConnection, IDbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    /// <summary>
    /// The statement <paramref name="sql"/> bound to <paramref name="transaction"/> (that of a <see cref="WriteAsync{T}"/>)
    /// and to <paramref name="parameters"/>, ready to run: the hot write path's statements, compiled once and then only
    /// re-bound. <paramref name="sql"/> is constant text and every value a parameter; ids and times are bound in their
    /// stored text form (<see cref="StoredValues"/>). Run the command and dispose its reader, never the command.
    /// </summary>
    public abstract DbCommand Prepared(IDbTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters);

    /// <summary>
    /// Runs the statement <paramref name="sql"/>, whose result the write never reads, in <paramref name="transaction"/>
    /// (that of a <see cref="WriteAsync{T}"/>) no later than the next statement <see cref="Prepared"/> gives for it, or
    /// else its commit, in the order queued. SQLite runs it at once, in-process; PostgreSQL sends the statements queued
    /// this way with that next statement or the commit, in one round trip. A read through the connection itself (Dapper)
    /// is not preceded by them, so a statement is queued only when no such read of the same write looks for its rows.
    /// </summary>
    public virtual Task ExecuteLaterAsync(
        IDbTransaction transaction, string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Prepared(transaction, sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Creates what is needed and applies pending migrations.</summary>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The value a prepared statement binds for <paramref name="value"/>: the stored form of ids, times and flags.</summary>
    protected static object Bound(object? value) => value switch
    {
        null => DBNull.Value,
        Guid id => id.ToString("D"),
        DateTimeOffset time => StoredValues.ToText(time),
        bool flag => flag ? 1L : 0L,
        _ => value,
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
