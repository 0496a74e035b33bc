using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Feeds.Data.Migrations;
using Npgsql;

namespace Feeds.Data.Postgres;

/// <summary>
/// A PostgreSQL database, for deployments of more than one node. Writers run side by side, each in a read-committed
/// transaction of its own, and PostgreSQL settles what they share: an upsert waits for the row it updates, a unique index
/// refuses the second of two equal keys, and a tag's rename waits for the writes of posts holding the tags
/// (<see cref="SqlDialect.ShareTagsSql"/>). A write that loses such a race (a serialization failure, a deadlock, a unique
/// key it had checked as free and a concurrent writer took first) is run again from the start, when it sees the
/// winner's rows and takes the path for a key that exists. Statements are prepared by Npgsql on each physical connection once
/// they have been used a few times (<c>Max Auto Prepare</c>, <see cref="PostgresConnectionString"/>).
/// </summary>
public sealed class PostgresDatabase : Database
{
    /// <summary>How many times a write runs at most before its last conflict reaches the caller.</summary>
    private const int MaxAttempts = 8;

    /// <summary>The SQL states that mean "run the transaction again": the conflict was with another writer, not the data.</summary>
    private static readonly HashSet<string> RetriedStates =
    [
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.UniqueViolation,
    ];

    /// <summary>
    /// Queued as a write begins, so that it goes with the write's first prepared statement (or its commit) and the
    /// statements from there on run on their generic plans. They are lookups and updates by key, inserts and claims of a
    /// few rows, whose plan does not depend on the values. Left to choose, PostgreSQL plans a prepared statement again for
    /// each call's values whenever the generic plan looked dearer when last made, and keeps that cost until it makes
    /// another; one made while the posts table grew fast left a create's lookup of its link planned anew on 9,176 of
    /// 10,199 calls, for the life of the connection.
    /// </summary>
    private const string GenericPlansSql = "set local plan_cache_mode = force_generic_plan";

    /// <summary>Any 64-bit key, held for the migration's transaction, so that nodes starting together migrate one after another.</summary>
    private const long MigrationLockKey = 0x46656564735f4d;

    /// <summary>The statements each write has queued for later (<see cref="ExecuteLaterAsync"/>), by its connection.</summary>
    private readonly ConditionalWeakTable<NpgsqlConnection, NpgsqlBatch> _queued = [];

    public PostgresDatabase(string connectionString)
    {
        DataSource = new NpgsqlDataSourceBuilder(PostgresConnectionString.WithDefaults(connectionString)).Build();
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>Where connections come from: also what a notification listener or Quartz's job store would open theirs from.</summary>
    public NpgsqlDataSource DataSource { get; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await DataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<T> WriteAsync<T>(Func<DbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await ExecuteLaterAsync(transaction, GenericPlansSql, cancellationToken);
            try
            {
                var result = await work(connection, transaction);
                // Once begun, a commit is not cancelled: the caller would not know whether it happened.
                if (TakeQueued(connection) is { } queued)
                {
                    // The statements still queued and the commit, in one round trip.
                    queued.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
                    await queued.ExecuteNonQueryAsync(CancellationToken.None);
                }
                else
                {
                    await transaction.CommitAsync(CancellationToken.None);
                }

                return result;
            }
            catch (PostgresException e) when (attempt < MaxAttempts && RetriedStates.Contains(e.SqlState))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                // A little apart, so that the writers who collided do not collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// The statement alone, or, when statements were queued for later in the transaction (<see cref="ExecuteLaterAsync"/>),
    /// a command that sends them before it in one batch: one round trip for all of them.
    /// </summary>
    public override DbCommand Prepared(IDbTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var current = Current(transaction);
        if (TakeQueued(current.Connection!) is { } queued)
        {
            var last = new NpgsqlBatchCommand(sql);
            Bind(last.Parameters, parameters);
            queued.BatchCommands.Add(last);
            return new QueuedBatchCommand(queued, last);
        }

        var command = new NpgsqlCommand(sql, current.Connection, current);
        Bind(command.Parameters, parameters);
        return command;
    }

    public override Task ExecuteLaterAsync(
        IDbTransaction transaction, string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var current = Current(transaction);
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, parameters);
        _queued.GetValue(current.Connection!, connection => new NpgsqlBatch(connection, current)).BatchCommands.Add(command);
        return Task.CompletedTask;
    }

    private static NpgsqlTransaction Current(IDbTransaction transaction) =>
        transaction is NpgsqlTransaction { Connection: not null } current
            ? current
            : throw new InvalidOperationException("Prepared statements run only in the transaction of a write (WriteAsync).");

    private static void Bind(NpgsqlParameterCollection target, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            // A null goes untyped, so that PostgreSQL takes its type from where it is used.
            target.Add(new NpgsqlParameter(name, Bound(value)));
        }
    }

    /// <summary>The statements queued on <paramref name="connection"/>'s write, as a batch no longer queued; null when there are none.</summary>
    private NpgsqlBatch? TakeQueued(NpgsqlConnection connection) =>
        _queued.TryGetValue(connection, out var queued) && _queued.Remove(connection) ? queued : null;

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("select pg_advisory_xact_lock(@Key)", connection, transaction))
        {
            command.Parameters.AddWithValue("Key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await MigrationRunner.ApplyAsync(PostgresMigrations.All, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DataSource.Dispose();
        }
    }
}
