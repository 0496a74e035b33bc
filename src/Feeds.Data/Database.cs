using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Feeds.Data;

/// <summary>
/// The SQLite database: how connections are opened, and the single queue every write goes through.
/// SQLite allows one writer at a time; queueing writers here instead of letting them collide on the file lock
/// keeps latency flat under concurrent requests, while readers never wait (WAL). Writes that queue up while
/// another commits are committed together (group commit), each in a savepoint of its own, so one failing
/// write rolls back only itself and every caller still returns only once its own write is durable.
/// </summary>
public sealed class Database : IDisposable
{
    /// <summary>How many queued writes one transaction takes at most.</summary>
    private const int MaxGroup = 64;

    /// <summary>The pooled connections already set up: a connection keeps its settings while the pool holds it.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> SetUp = [];

    /// <summary>How often, at most, committed writes are copied from the WAL into the database file.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentQueue<IQueuedWrite> _queue = new();
    private long _lastCheckpoint;
    private int _checkpointing;

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
        if (!SetUp.TryGetValue(connection.Handle!, out _))
        {
            // Per connection: wait for other processes' locks instead of failing, fsync the WAL at
            // checkpoints rather than every commit (committed data survives a process crash either way), and
            // leave checkpoints to CheckpointSoon instead of running one inside whichever commit crosses the threshold.
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            SetUp.AddOrUpdate(connection.Handle!, SetUp);
        }

        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate transaction, one writer at a time, and returns once it is committed.
    /// Any exception rolls back everything <paramref name="work"/> wrote and reaches the caller: nothing half-written is
    /// ever stored.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
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

        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable);
            var done = new List<IQueuedWrite>(group.Count);
            var alone = group.Count == 1;
            foreach (var write in group)
            {
                if (!alone)
                {
                    await transaction.SaveAsync("write");
                }

                var succeeded = await write.RunAsync(connection, transaction);
                if (!alone)
                {
                    if (!succeeded)
                    {
                        await transaction.RollbackAsync("write");
                    }

                    await transaction.ReleaseAsync("write");
                }

                if (succeeded)
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
            foreach (var write in group)
            {
                write.Fail(e);
            }
        }
    }

    /// <summary>
    /// Copies committed writes from the WAL into the database file in the background, at most every
    /// <see cref="CheckpointInterval"/> and one at a time. A passive checkpoint waits for no one: readers and the next
    /// writer go on, and frames it cannot copy yet wait for the next one. SQLite's automatic checkpoint would instead
    /// run inside the commit that crosses its threshold, adding several megabytes of copying and an fsync to that write.
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
                await using var connection = await OpenAsync(CancellationToken.None);
                await connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE);");
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

    private interface IQueuedWrite
    {
        /// <summary>Completes the write as cancelled when its caller gave up before it ran.</summary>
        bool CancelIfRequested();

        /// <summary>Runs the work; false (with the caller's task failed) when it threw.</summary>
        Task<bool> RunAsync(SqliteConnection connection, IDbTransaction transaction);

        /// <summary>Hands the caller its result once the transaction committed.</summary>
        void Complete();

        void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public async Task<bool> RunAsync(SqliteConnection connection, IDbTransaction transaction)
        {
            try
            {
                _result = await work(connection, transaction);
                return true;
            }
            catch (Exception e)
            {
                _completion.TrySetException(e);
                return false;
            }
        }

        public void Complete() => _completion.TrySetResult(_result);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
