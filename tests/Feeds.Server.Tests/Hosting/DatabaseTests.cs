using System.Data;
using Dapper;
using Feeds.Data.Sqlite;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Feeds.Server.Tests.Hosting;

/// <summary>
/// SQLite's write queue: concurrent writes commit together, yet each stands or falls alone; they run on one connection whose
/// statements are compiled once; and what is committed reaches the database file by checkpoints in the background.
/// </summary>
public sealed class DatabaseTests : IDisposable
{
    private const string Insert = "insert into scratch (n) values (@N)";

    /// <summary>The log starts again from 16 MiB rather than 64, so that the tests of restarts write for seconds, not minutes.</summary>
    private readonly SqliteDatabase _database = new(Path.Combine(TempDirectory.Create(), "feeds.db")) { RestartLogFrames = 4096 };

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Concurrent_writes_all_commit_except_the_ones_that_throw_which_leave_nothing()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("create table scratch (n integer not null primary key)", transaction: t), default);

        var writes = Enumerable.Range(0, 200).Select(n => Task.Run(() => _database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("insert into scratch (n) values (@n)", new { n }, transaction);
            await connection.ExecuteAsync("insert into scratch (n) values (@n)", new { n = n + 1000 }, transaction);
            return n % 10 == 3 ? throw new InvalidOperationException($"write {n} fails after writing") : n;
        }, default))).ToList();
        await Task.WhenAll(writes).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.All(writes.Where((_, n) => n % 10 == 3), w => Assert.IsType<InvalidOperationException>(w.Exception!.InnerException));
        Assert.All(writes.Where((_, n) => n % 10 != 3), w => Assert.True(w.IsCompletedSuccessfully));
        await using var connection = await _database.OpenAsync(default);
        var stored = (await connection.QueryAsync<long>("select n from scratch where n < 1000 order by n")).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Where(n => n % 10 != 3).Select(n => (long)n), stored);
        Assert.Equal(180, await connection.ExecuteScalarAsync<long>("select count(*) from scratch where n >= 1000"));
    }

    [Fact]
    public async Task Committed_writes_reach_the_database_file_in_the_background_without_a_checkpoint_in_any_commit()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("create table scratch (n integer not null primary key, payload blob not null)", transaction: t), default);
        for (var n = 0; n < 40; n++)
        {
            await _database.WriteAsync((c, t) => c.ExecuteAsync("insert into scratch (n, payload) values (@n, randomblob(100000))", new { n }, t), default);
        }

        // Automatic checkpoints are off on the service's connections, so only the background checkpoints can move
        // these 4 MB from the WAL into the file.
        await using var connection = await _database.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (new FileInfo(_database.Path).Length < 4_000_000 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            await _database.WriteAsync((c, t) => c.ExecuteAsync("update scratch set n = n where n = 0", transaction: t), default);
        }

        Assert.True(new FileInfo(_database.Path).Length >= 4_000_000, $"the database file holds {new FileInfo(_database.Path).Length:N0} bytes");
    }

    [Fact]
    public async Task The_log_starts_again_under_a_steady_stream_of_writes_instead_of_growing_with_them()
    {
        await CreateRowsAsync();
        var restartsBefore = LogRestarts();

        // Four writers that never pause for three seconds (so the database stays small while the log takes hundreds of
        // megabytes): a passive checkpoint always ends with newer frames behind it, so unless the writers are held back
        // now and then the log never starts again and holds everything.
        var (writes, _) = await WriteSteadilyAsync(TimeSpan.FromSeconds(3), writers: 4);

        var restarts = LogRestarts() - restartsBefore;
        Assert.True(restarts >= 3, $"the log started again {restarts} times in {writes * 20_000L:N0} bytes of writes");
    }

    [Fact]
    public async Task A_reader_that_stays_in_the_log_puts_the_restart_off_without_holding_writes_back()
    {
        await CreateRowsAsync();
        var restartsBefore = LogRestarts();

        // A read transaction that lasts longer than the writes: the log cannot start again while it reads from it, and
        // a restarting checkpoint that waited for it as long as connections wait for locks would stall every write.
        var reader = (SqliteConnection)await _database.OpenAsync(default);
        var read = reader.BeginTransaction(deferred: true);
        Assert.Equal(64, await reader.ExecuteScalarAsync<long>("select count(*) from scratch", transaction: read));

        var (_, slowest) = await WriteSteadilyAsync(TimeSpan.FromSeconds(3), writers: 2);
        // Waiting for the reader as long as connections wait for locks stalls a write for 10 s; the restart gives up after
        // 200 ms. The bound between the two leaves room for a loaded machine.
        Assert.True(slowest < TimeSpan.FromSeconds(6), $"a write took {slowest.TotalMilliseconds:N0} ms while a reader stayed in the log");
        Assert.Equal(restartsBefore, LogRestarts());

        // Once the reader is done, the next restart goes ahead (how many writes that takes depends on the machine's pace).
        read.Dispose();
        await reader.DisposeAsync();
        for (var second = 0; second < 20 && LogRestarts() == restartsBefore; second++)
        {
            await WriteSteadilyAsync(TimeSpan.FromSeconds(1), writers: 2);
        }

        Assert.True(LogRestarts() > restartsBefore, "the log never started again after the reader finished");
    }

    /// <summary>64 rows of 20 KB for <see cref="WriteSteadilyAsync"/> to write over.</summary>
    private async Task CreateRowsAsync()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("create table scratch (n integer not null primary key, payload blob not null)", transaction: t), default);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("insert into scratch (n, payload) values (@n, zeroblob(20000))", Enumerable.Range(0, 64).Select(n => new { n }), t), default);
    }

    /// <summary>Writers that never pause, each write 20 KB into one of the 64 rows; returns how many writes ran and the slowest.</summary>
    private async Task<(int Writes, TimeSpan Slowest)> WriteSteadilyAsync(TimeSpan duration, int writers)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var next = 0;
        var slowest = new TimeSpan[writers];
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref next) % 64;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await _database.WriteAsync((c, t) => c.ExecuteAsync("update scratch set payload = randomblob(20000) where n = @n", new { n }, t), default);
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                slowest[writer] = took > slowest[writer] ? took : slowest[writer];
            }
        })));
        return (next, slowest.Max());
    }

    /// <summary>The checkpoint sequence number in the WAL header (bytes 12–15), which SQLite increments whenever the log starts again.</summary>
    private long LogRestarts()
    {
        using var log = new FileStream(_database.Path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        log.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    [Fact]
    public async Task A_write_whose_caller_gave_up_before_it_ran_is_cancelled_and_stores_nothing()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("create table scratch (n integer not null primary key)", transaction: t), default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var write = _database.WriteAsync((c, t) => c.ExecuteAsync("insert into scratch (n) values (1)", transaction: t), cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        await using var connection = await _database.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from scratch"));
    }

    [Fact]
    public async Task A_prepared_statement_is_compiled_once_and_only_rebound_by_later_writes()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        var compiled = new List<(SqliteCommand Command, SQLitePCL.sqlite3_stmt Statement)>();

        for (var n = 1; n <= 2; n++)
        {
            await _database.WriteAsync(async (_, transaction) =>
            {
                var command = (SqliteCommand)_database.Prepared(transaction, "select @N * 10", ("@N", n));
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal(n * 10, reader.GetInt64(0));
                compiled.Add((command, reader.Handle!));
            }, default);
        }

        Assert.Same(compiled[0].Command, compiled[1].Command);
        Assert.Same(compiled[0].Statement, compiled[1].Statement);
    }

    [Fact]
    public async Task A_write_failing_in_a_group_leaves_the_writer_and_its_statements_to_the_next_writes()
    {
        await CreateScratchAsync();
        var (connection, command) = await _database.WriteAsync(async (c, t) =>
        {
            var insert = _database.Prepared(t, Insert, ("@N", 1));
            await insert.ExecuteNonQueryAsync();
            return (c, insert);
        }, default);

        // While the first write holds the queue, two more queue up behind it and are committed together.
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _database.WriteAsync(async (_, _) => { holding.SetResult(); await release.Task; }, default);
        await holding.Task;
        var duplicate = _database.WriteAsync((_, t) => _database.Prepared(t, Insert, ("@N", 1)).ExecuteNonQueryAsync(), default);
        var next = _database.WriteAsync(async (c, t) =>
        {
            await _database.Prepared(t, Insert, ("@N", 2)).ExecuteNonQueryAsync();
            return c;
        }, default);
        release.SetResult();
        await first;

        var violation = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, violation.SqliteErrorCode);
        Assert.Same(connection, await next);
        var again = await _database.WriteAsync(async (_, t) =>
        {
            var insert = _database.Prepared(t, Insert, ("@N", 3));
            await insert.ExecuteNonQueryAsync();
            return insert;
        }, default);
        Assert.Same(command, again);
        Assert.Equal(new long[] { 1, 2, 3 }, await ScratchAsync());
    }

    [Fact]
    public async Task A_write_failing_with_a_broken_connection_gets_the_next_write_a_fresh_one()
    {
        await CreateScratchAsync();
        var before = await _database.WriteAsync((c, t) => Task.FromResult(c), default);

        var broken = _database.WriteAsync<int>((_, _) => throw new SqliteException("disk I/O error", SQLitePCL.raw.SQLITE_IOERR), default);

        await Assert.ThrowsAsync<SqliteException>(() => broken);
        Assert.Equal(ConnectionState.Closed, before.State);
        var after = await _database.WriteAsync(async (c, t) =>
        {
            await _database.Prepared(t, Insert, ("@N", 1)).ExecuteNonQueryAsync();
            return c;
        }, default);
        Assert.NotSame(before, after);
        Assert.Equal(new long[] { 1 }, await ScratchAsync());
    }

    [Fact]
    public async Task Prepared_statements_run_only_in_the_transaction_of_a_write()
    {
        await CreateScratchAsync();
        await using var connection = await _database.OpenAsync(default);
        await using var transaction = await connection.BeginTransactionAsync();

        Assert.Throws<InvalidOperationException>(() => _database.Prepared(transaction, Insert, ("@N", 1)));
    }

    private async Task CreateScratchAsync()
    {
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("create table scratch (n integer not null primary key)", transaction: t), default);
    }

    private async Task<long[]> ScratchAsync()
    {
        await using var connection = await _database.OpenAsync(default);
        return [.. await connection.QueryAsync<long>("select n from scratch order by n")];
    }
}
