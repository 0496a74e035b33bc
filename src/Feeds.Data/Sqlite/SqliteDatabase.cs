using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Feeds.Data.Migrations;
using Microsoft.Data.Sqlite;

namespace Feeds.Data.Sqlite;

/// <summary>
/// The SQLite database (the embedded default): how connections are opened, and the single queue every write goes through.
/// SQLite allows one writer at a time; queueing writers here instead of letting them collide on the file lock
/// keeps latency flat under concurrent requests, while readers never wait (WAL). Writes that queue up while
/// another commits are committed together (group commit), each in a savepoint of its own, so one failing
/// write rolls back only itself and every caller still returns only once its own write is durable. The writes run on
/// one connection kept open for them, where the statements of the hot write path are compiled once (<see cref="Prepared"/>).
/// </summary>
public sealed class SqliteDatabase : Database
{
    /// <summary>How many queued writes one transaction takes at most.</summary>
    private const int MaxGroup = 64;

    /// <summary>The savepoint each write of a group runs in.</summary>
    private const string SavepointSql = "savepoint write";

    private const string RollbackToSavepointSql = "rollback to savepoint write";

    private const string ReleaseSavepointSql = "release savepoint write";

    /// <summary>The connections already set up: a pooled connection keeps its settings while the pool holds it.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> SetUp = [];

    /// <summary>How often, at most, committed writes are copied from the WAL into the database file.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The size of the write-ahead log, in frames (pages of 4 KiB), from which a checkpoint holds writers back so that
    /// the log can start again from its beginning: 64 MiB. Each such restart holds writes back for 100–200 ms (it copies
    /// what came since the passive checkpoint before it, then syncs the file). A batch of 500 imported posts writes 2,000
    /// to 3,000 frames, so at 4,096 frames nearly every checkpoint of an import restarted, and writes were held back for
    /// a quarter of its time (5.7 s of 23.8 s, 100,000 bookmarks); at this size, for a tenth. The log only gets this
    /// long while writes come faster than checkpoints copy them (otherwise it starts again from its beginning unforced),
    /// and then up to about twice as long: that import took the file to 121 MiB (docs/deployment.md).
    /// </summary>
    internal int RestartLogFrames { get; init; } = 16_384;

    /// <summary>
    /// The settings of the connections that read: up to 1 GiB of the database file read through memory mapping, so
    /// that every connection reads the pages the operating system already caches for the file where each would
    /// otherwise copy them, one system call per page, into a cache of its own of 2 MiB; and a statement's temporary
    /// tables (a materialized common table expression, a sort) kept in memory, where each took a file created and
    /// removed again. A search or a page that looks up a few hundred rows across a large site takes a third of the
    /// time. Only address space is reserved; the pages stay the operating system's to evict. The writer maps nothing:
    /// with both settings on it too, an import of 100,000 bookmarks took 15–80 % more CPU per post (it keeps its
    /// temporary files in memory all the same, for a reason of its own: <see cref="WriteSettings"/>).
    /// </summary>
    private const string ReadSettings = " PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;";

    /// <summary>
    /// The settings of the connections that write: a page cache of up to 64 MiB, where the default 2 MiB held a few
    /// hundred pages. A batch of imported posts writes an entry into each of several indexes in site, tag, link and slug
    /// order, thousands of pages apart; with the small cache the batch's changed pages spilled into the log before its
    /// commit and were read back from it: the store imported 100,000 posts at 3,100/s, against 3,650/s with this cache.
    /// And the journal of each write's savepoint (the pages as they were before it, for a rollback to it) kept in
    /// memory: in a file, as by default, it took as many bytes as the log itself, half of everything an import wrote
    /// (an import of 100,000 bookmarks wrote 5.0 GB with it in a file, 2.6 GB with it in memory).
    /// </summary>
    private const string WriteSettings = " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";

    /// <summary>How long a connection waits for another's lock before failing.</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>
    /// How long a restarting checkpoint waits for readers still in the log, with the writers held back. A reader that
    /// stays longer (a long export, say) only puts the restart off to a later checkpoint; it never stalls writes for
    /// the connections' own busy timeout of ten seconds.
    /// </summary>
    private const int RestartWaitMilliseconds = 200;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentQueue<IQueuedWrite> _queue = new();
    private readonly string _unpooledConnectionString;

    /// <summary>The statements compiled on <see cref="_writer"/>, by their SQL.</summary>
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// The connection every write runs on, only ever under the write gate. It stays open, outside the pool, so the
    /// statements compiled on it stay compiled: closing a connection throws its statements away.
    /// </summary>
    private SqliteConnection? _writer;

    private bool _disposed;
    private long _lastCheckpoint;
    private int _checkpointing;

    public SqliteDatabase(string path)
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
        _unpooledConnectionString = new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>An open connection for reads, from the pool. Writes go through <see cref="WriteAsync{T}"/>.</summary>
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenAsync(ConnectionString, reads: true, cancellationToken);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, bool reads, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!SetUp.TryGetValue(connection.Handle!, out _))
        {
            // Per connection: wait for other processes' locks instead of failing, fsync the WAL at
            // checkpoints rather than every commit (committed data survives a process crash either way),
            // and leave checkpoints to CheckpointSoon instead of running one inside whichever commit crosses the
            // threshold; for reads, ReadSettings, and for writes, WriteSettings.
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;")
                + (reads ? ReadSettings : WriteSettings);
            await command.ExecuteNonQueryAsync(cancellationToken);
            SetUp.AddOrUpdate(connection.Handle!, SetUp);
        }

        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate transaction, one writer at a time, and returns once it is committed.
    /// Any exception rolls back everything <paramref name="work"/> wrote and reaches the caller: nothing half-written is
    /// ever stored. Here <paramref name="work"/> runs once.
    /// </summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var write = new QueuedWrite<T>(work, cancellationToken);
        _queue.Enqueue(write);
        await _writeGate.WaitAsync(CancellationToken.None);
        try
        {
            // Whoever holds the gate commits everything queued so far, ours included unless an earlier holder took it.
            if (!write.Task.IsCompleted)
            {
                await CommitQueuedAsync();
            }
        }
        finally
        {
            _writeGate.Release();
        }

        return await write.Task;
    }

    /// <summary>
    /// A new command compiles its SQL anew, a good part of what a short statement costs; here each statement is compiled
    /// once per writer connection and then only re-bound, as <see cref="StoredValues"/> binds values for Dapper.
    /// </summary>
    public override DbCommand Prepared(IDbTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_writer is null || transaction is not SqliteTransaction current || current.Connection != _writer)
        {
            throw new InvalidOperationException("Prepared statements run only in the transaction of a write (WriteAsync).");
        }

        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = new SqliteCommand(sql, _writer);
            command.Prepare();
            _prepared.Add(sql, command);
        }

        command.Transaction = current;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, Bound(value));
        }

        return command;
    }

    private async Task CommitQueuedAsync()
    {
        var group = new List<IQueuedWrite>();
        while (group.Count < MaxGroup && _queue.TryDequeue(out var next))
        {
            if (!next.CancelIfRequested())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        var broken = false;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _writer ??= await OpenAsync(_unpooledConnectionString, reads: false, CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable);
            var done = new List<IQueuedWrite>(group.Count);
            var alone = group.Count == 1;
            foreach (var write in group)
            {
                if (!alone)
                {
                    await Prepared(transaction, SavepointSql).ExecuteNonQueryAsync();
                }

                var failure = await write.RunAsync(connection, transaction);
                broken |= Breaks(failure);
                if (!alone)
                {
                    if (failure is not null)
                    {
                        await Prepared(transaction, RollbackToSavepointSql).ExecuteNonQueryAsync();
                    }

                    await Prepared(transaction, ReleaseSavepointSql).ExecuteNonQueryAsync();
                }

                if (failure is null)
                {
                    done.Add(write);
                }
            }

            if (done.Count > 0)
            {
                await transaction.CommitAsync();
                CheckpointSoon();
            }

            foreach (var write in done)
            {
                write.Complete();
            }
        }
        catch (Exception e)
        {
            broken = true;
            foreach (var write in group)
            {
                write.Fail(e);
            }
        }

        if (broken)
        {
            CloseWriter();
        }
    }

    /// <summary>
    /// Whether a write's failure may have left the writer connection itself failing (I/O, a full disk, corruption), so
    /// that it is closed after the group. A broken constraint belongs to its statement alone, as does any exception that
    /// is not SQLite's; the connection and its compiled statements go on serving the next writes.
    /// </summary>
    private static bool Breaks(Exception? failure) => failure is SqliteException { SqliteErrorCode: not SQLitePCL.raw.SQLITE_CONSTRAINT };

    /// <summary>Closes the writer connection and its statements; the next group opens and compiles afresh.</summary>
    private void CloseWriter()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>
    /// Copies committed writes from the WAL into the database file in the background, at most every
    /// <see cref="CheckpointInterval"/> and one at a time. A passive checkpoint waits for no one: readers and the next
    /// writer go on, and frames it cannot copy yet wait for the next one. SQLite's automatic checkpoint would instead
    /// run inside the commit that crosses its threshold, adding several megabytes of copying and an fsync to that write.
    /// Once the log reaches <see cref="RestartLogFrames"/>, a restarting checkpoint runs with the writers held back, so
    /// that the log starts again instead of growing as long as writes keep coming.
    /// </summary>
    private void CheckpointSoon()
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastCheckpoint)) < CheckpointInterval || Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                // A connection of its own, outside the pool, since a restart shortens its busy timeout.
                await using var connection = await OpenAsync(_unpooledConnectionString, reads: false, CancellationToken.None);
                if (await CheckpointAsync(connection, "PASSIVE") >= RestartLogFrames)
                {
                    // Under a steady stream of writes the log never empties, since every checkpoint ends with newer
                    // frames behind it, and the file grows without end. With the writers held back, a restarting
                    // checkpoint copies the rest, waits for the readers still in the log to finish, and starts it again.
                    await _writeGate.WaitAsync();
                    try
                    {
                        await SetBusyTimeoutAsync(connection, RestartWaitMilliseconds);
                        await CheckpointAsync(connection, "RESTART");
                    }
                    finally
                    {
                        _writeGate.Release();
                    }
                }
            }
            catch (SqliteException)
            {
                // The next commit asks again; until then the WAL only grows.
            }
            finally
            {
                Volatile.Write(ref _lastCheckpoint, Stopwatch.GetTimestamp());
                Interlocked.Exchange(ref _checkpointing, 0);
            }
        });
    }

    private static async Task SetBusyTimeoutAsync(SqliteConnection connection, int milliseconds)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {milliseconds};");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A checkpoint in <paramref name="mode"/>; returns how many frames the log holds.</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetInt64(1) : 0;
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations.</summary>
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using (var connection = await OpenAsync(ConnectionString, reads: true, cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
        }

        await WriteAsync((connection, transaction) => MigrationRunner.ApplyAsync(SqliteMigrations.All, connection, transaction, cancellationToken), cancellationToken);
    }

    /// <summary>Closes the writer connection once the group being committed, if any, is done; later writes fail.</summary>
    protected override void Dispose(bool disposing)
    {
        _writeGate.Wait();
        try
        {
            _disposed = true;
            CloseWriter();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private interface IQueuedWrite
    {
        /// <summary>Completes the write as cancelled when its caller gave up before it ran.</summary>
        bool CancelIfRequested();

        /// <summary>Runs the work; what it threw (already handed to the caller), or null when it succeeded.</summary>
        Task<Exception?> RunAsync(DbConnection connection, IDbTransaction transaction);

        /// <summary>Hands the caller its result once the transaction committed.</summary>
        void Complete();

        void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<DbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public async Task<Exception?> RunAsync(DbConnection connection, IDbTransaction transaction)
        {
            try
            {
                _result = await work(connection, transaction);
                return null;
            }
            catch (Exception e)
            {
                _completion.TrySetException(e);
                return e;
            }
        }

        public void Complete() => _completion.TrySetResult(_result);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
