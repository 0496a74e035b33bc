using System.Data;
using System.Data.Common;
using Feeds.Data.Migrations;
using Npgsql;

namespace Feeds.Data.Postgres;

/// <summary>
/// A PostgreSQL database, for deployments of more than one node. Writers run side by side, each in a read-committed
/// transaction of its own, and PostgreSQL settles what they share: an upsert waits for the row it updates, a unique index
/// refuses the second of two equal keys. A write that loses such a race (a serialization failure, a deadlock, or a unique
/// key it had checked as free and a concurrent writer took first) is run again from the start, when it sees the winner's
/// rows and takes the path for a key that exists. Statements are prepared by Npgsql on each physical connection once
/// they have been used a few times (<c>Max Auto Prepare</c>).
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

    /// <summary>Any 64-bit key, held for the migration's transaction, so that nodes starting together migrate one after another.</summary>
    private const long MigrationLockKey = 0x46656564735f4d;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        DataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
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
            try
            {
                var result = await work(connection, transaction);
                // Once begun, a commit is not cancelled: the caller would not know whether it happened.
                await transaction.CommitAsync(CancellationToken.None);
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

    public override DbCommand Prepared(IDbTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (transaction is not NpgsqlTransaction current || current.Connection is null)
        {
            throw new InvalidOperationException("Prepared statements run only in the transaction of a write (WriteAsync).");
        }

        var command = new NpgsqlCommand(sql, current.Connection, current);
        foreach (var (name, value) in parameters)
        {
            // A null goes untyped, so that PostgreSQL takes its type from where it is used.
            command.Parameters.Add(new NpgsqlParameter(name, Bound(value)));
        }

        return command;
    }

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
