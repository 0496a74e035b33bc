using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Feeds.Data;

/// <summary>
/// The SQLite database: how connections are opened, and the single gate every write goes through.
/// SQLite allows one writer at a time; queueing writers here instead of letting them collide on the
/// file lock keeps latency flat under concurrent requests, while readers never wait (WAL).
/// </summary>
public sealed class Database : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    static Database() => SqliteTypeHandlers.Register();

    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>An open connection for reads (and for writes made inside <see cref="WriteAsync{T}"/>).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: wait for other processes' locks instead of failing, and fsync the WAL at
        // checkpoints rather than every commit (committed data survives a process crash either way).
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate transaction, one writer at a time, and commits it.
    /// Any exception rolls everything back: nothing half-written is ever stored.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task WriteAsync(Func<SqliteConnection, IDbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
        }

        await WriteAsync((connection, transaction) => Migrations.ApplyAsync(connection, transaction, cancellationToken), cancellationToken);
    }

    public void Dispose() => _writeGate.Dispose();
}
