using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Feeds.Data.Postgres;

/// <summary>
/// A statement that goes to the server behind the statements its write queued for later
/// (<see cref="PostgresDatabase.ExecuteLaterAsync"/>), all in one batch: one round trip where each would take one. Its
/// caller sees only the last statement: the queued ones return no rows, so a reader or a scalar is the last one's, and
/// the count of rows is the last one's.
/// </summary>
internal sealed class QueuedBatchCommand(NpgsqlBatch batch, NpgsqlBatchCommand last) : DbCommand
{
    [AllowNull]
    public override string CommandText
    {
        get => last.CommandText;
        set => throw new NotSupportedException();
    }

    public override int CommandTimeout { get => batch.Timeout; set => batch.Timeout = value; }

    public override CommandType CommandType { get => CommandType.Text; set => throw new NotSupportedException(); }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get => batch.Connection; set => throw new NotSupportedException(); }

    protected override DbParameterCollection DbParameterCollection => last.Parameters;

    protected override DbTransaction? DbTransaction { get => batch.Transaction; set => throw new NotSupportedException(); }

    public override void Cancel() => batch.Cancel();

    public override int ExecuteNonQuery()
    {
        batch.ExecuteNonQuery();
        return last.RecordsAffected;
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return last.RecordsAffected;
    }

    public override object? ExecuteScalar() => batch.ExecuteScalar();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => batch.ExecuteScalarAsync(cancellationToken);

    public override void Prepare() => batch.Prepare();

    protected override DbParameter CreateDbParameter() => new NpgsqlParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => batch.ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await batch.ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            batch.Dispose();
        }

        base.Dispose(disposing);
    }
}
