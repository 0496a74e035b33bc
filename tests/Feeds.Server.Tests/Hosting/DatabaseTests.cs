using Dapper;
using Feeds.Data;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Hosting;

/// <summary>
/// The write queue: concurrent writes commit together, yet each stands or falls alone; and what is committed reaches
/// the database file by checkpoints in the background.
/// </summary>
public sealed class DatabaseTests : IDisposable
{
    private readonly Database _database = new(Path.Combine(TempDirectory.Create(), "feeds.db"));

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
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(_database.Path).Length < 4_000_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            await _database.WriteAsync((c, t) => c.ExecuteAsync("update scratch set n = n where n = 0", transaction: t), default);
        }

        Assert.True(new FileInfo(_database.Path).Length >= 4_000_000, $"the database file holds {new FileInfo(_database.Path).Length:N0} bytes");
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
}
