using System.Data;
using Dapper;

namespace Feeds.Data.Delivery;

/// <summary>
/// How an attempt is recorded, for each outbox with an attempt log (the shared <c>deliveries</c>, webhooks'
/// <c>webhook_messages</c>): the attempt row is written only while what was attempted still exists (one deleted while
/// its attempt ran leaves no orphan), and an outcome leaves what was attempted in one of three states. Each log's
/// statement is fixed when the log is made: only table and column names differ, never values.
/// </summary>
/// <param name="keyColumns">The log's columns naming what was attempted, as its attempt record's parameters name them
/// (<c>delivery_id</c> as <c>@DeliveryId</c>); the first is the id in <paramref name="outboxTable"/>.</param>
public sealed class AttemptLog(string logTable, string outboxTable, params string[] keyColumns)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    private readonly string _insert = $"""
        insert into {logTable} (id, {string.Join(", ", keyColumns)}, attempted_at, duration_ms, status_code, error_class, error, response_excerpt)
        select @Id, {string.Join(", ", keyColumns.Select(Parameter))}, @AttemptedAt, @DurationMs, @StatusCode, @ErrorClass, @Error, @ResponseExcerpt
        where exists (select 1 from {outboxTable} where id = {Parameter(keyColumns[0])})
        """;

    /// <summary>Writes <paramref name="attempt"/> (a record whose properties are the log's columns in PascalCase) inside the caller's write.</summary>
    public Task WriteAsync(IDbConnection connection, IDbTransaction transaction, object attempt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(_insert, attempt, transaction, cancellationToken: cancellationToken));

    /// <summary>The state an outcome leaves what was attempted in: still pending for a retry.</summary>
    public static string StatusAfter(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => Delivered,
        DeliveryOutcome.Retry => Pending,
        _ => Failed,
    };

    /// <summary><c>delivery_id</c> → <c>@DeliveryId</c>.</summary>
    private static string Parameter(string column) =>
        "@" + string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
