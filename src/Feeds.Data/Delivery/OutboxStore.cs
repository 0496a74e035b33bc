using System.Data;
using Dapper;

namespace Feeds.Data.Delivery;

/// <summary>
/// The outbox every kind of outbound delivery shares (WebSub distributions, hub pings, ActivityPub deliveries): deliveries are queued inside the transaction of the change they carry (<see cref="EnqueueAsync"/>), so one
/// exists exactly when its change does, and each attempt is logged. Deliveries that share a coalesce key are one
/// row, so a burst of changes leaves one pending delivery, whose sender reads the latest state. Every node of a cluster
/// looks at the one outbox; each delivery is claimed by one of them at a time (<see cref="ClaimDueAsync"/>).
/// </summary>
public sealed class OutboxStore(Database database)
{
    private static readonly AttemptLog Attempts = new("delivery_attempts", "deliveries", "delivery_id", "kind", "destination");

    private readonly DeliveryClaims _claims = new(database, "deliveries");

    private const string EnqueueSql = """
        insert into deliveries (id, kind, destination, coalesce_key, payload, revision, status, attempt_count, retry_step,
                                next_attempt_at, last_attempt_at, delivered_at, created_at, updated_at)
        values (@Id, @Kind, @Destination, @CoalesceKey, @Payload, 1, 'pending', 0, 0, @Now, null, null, @Now, @Now)
        on conflict (coalesce_key) do update set
            payload = excluded.payload,
            revision = deliveries.revision + 1,
            retry_step = case when deliveries.status = 'pending' then deliveries.retry_step else 0 end,
            next_attempt_at = case when deliveries.status = 'pending' then deliveries.next_attempt_at else excluded.next_attempt_at end,
            status = 'pending',
            updated_at = excluded.updated_at
        """;

    /// <summary>
    /// Queues <paramref name="deliveries"/> inside the caller's write, due at <paramref name="now"/>. One with a coalesce
    /// key already pending keeps its place and schedule and only takes the newer content; one whose earlier delivery
    /// was completed or given up is pending again with a fresh schedule.
    /// </summary>
    /// <returns>How many deliveries were queued or refreshed.</returns>
    public async Task<int> EnqueueAsync(IDbTransaction transaction, IEnumerable<NewDelivery> deliveries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var delivery in deliveries)
        {
            written += await database.Prepared(
                transaction,
                EnqueueSql,
                ("@Id", Guid.CreateVersion7(now).ToString("N")),
                ("@Kind", delivery.Kind),
                ("@Destination", delivery.Destination),
                ("@CoalesceKey", delivery.CoalesceKey),
                ("@Payload", delivery.Payload),
                ("@Now", now)).ExecuteNonQueryAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Claims due deliveries for <paramref name="node"/> until <paramref name="claimUntil"/> (<see cref="DeliveryClaims"/>):
    /// at most <paramref name="perDestination"/> per destination in flight across all nodes, and oldest first within each,
    /// so one destination's backlog never crowds out another's first delivery. Rows are ranked within their destination,
    /// those in flight first, and lower ranks come first across destinations.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(
        string node, DateTimeOffset now, DateTimeOffset claimUntil, int perDestination, int take, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var candidates = (await connection.QueryAsync<string>(new CommandDefinition(
                """
                with due as (
                    select id, next_attempt_at, claimed_until,
                           row_number() over (
                               partition by kind, destination
                               order by case when claimed_until > @Now then 0 else 1 end, next_attempt_at, id) as rank_in_destination
                    from deliveries
                    where status = 'pending' and next_attempt_at <= @Now
                )
                select id from due
                where rank_in_destination <= @PerDestination and (claimed_until is null or claimed_until <= @Now)
                order by rank_in_destination, next_attempt_at, id
                limit @Take
                """,
                new { Now = now, PerDestination = perDestination, Take = take },
                transaction,
                cancellationToken: cancellationToken))).ToArray();
            var ids = await _claims.ClaimAsync(connection, transaction, candidates, node, now, claimUntil, cancellationToken);
            if (ids.Count == 0)
            {
                return (IReadOnlyList<DueDelivery>)[];
            }

            var rows = (await connection.QueryAsync<DueRow>(new CommandDefinition(
                $"""
                select id as Id, kind as Kind, destination as Destination, payload as Payload, revision as Revision, retry_step as RetryStep
                from deliveries
                where {database.Dialect.In("id", "@Ids")}
                """,
                new { Ids = ids.ToArray() },
                transaction,
                cancellationToken: cancellationToken))).ToDictionary(r => r.Id, StringComparer.Ordinal);
            return [.. ids.Select(id => rows[id]).Select(r => new DueDelivery(r.Id, r.Kind, r.Destination, r.Payload, r.Revision, (int)r.RetryStep))];
        }, cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.RenewAsync"/>
    public Task RenewAsync(string node, DateTimeOffset claimUntil, CancellationToken cancellationToken) => _claims.RenewAsync(node, claimUntil, cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.ReleaseClaimsOfTheDeadAsync"/>
    public Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken) => _claims.ReleaseClaimsOfTheDeadAsync(cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.ReleaseAsync"/>
    public Task ReleaseAsync(string node, IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken) =>
        _claims.ReleaseAsync(node, deliveryIds, cancellationToken);

    /// <summary>
    /// When the next pending delivery falls due after <paramref name="now"/>, or a claim on a due one runs out (its node
    /// died), if either happens.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            select min(case when next_attempt_at > @Now then next_attempt_at else claimed_until end)
            from deliveries
            where status = 'pending' and (next_attempt_at > @Now or claimed_until > @Now)
            """,
            new { Now = now },
            cancellationToken: cancellationToken));
        return next is null ? null : StoredValues.ParseTime(next);
    }

    /// <summary>
    /// Stores attempts and their consequences in one transaction. A delivery queued again while its attempt ran (a
    /// newer revision) stays pending: delivered or given up, the newer content is due at once; to be retried, it waits
    /// for the retry.
    /// </summary>
    public Task RecordAsync(IReadOnlyList<DeliveryRecord> records, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var record in records)
            {
                var attempt = record.Attempt;
                await Attempts.WriteAsync(connection, transaction, attempt, cancellationToken);

                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update deliveries
                    set attempt_count = attempt_count + 1,
                        claimed_by = null,
                        claimed_until = null,
                        last_attempt_at = @AttemptedAt,
                        delivered_at = case when @Outcome = 'delivered' then @AttemptedAt else delivered_at end,
                        status = case when revision = @Revision then @Status else 'pending' end,
                        retry_step = case when @Outcome = 'retry' then retry_step + 1 when revision = @Revision then retry_step else 0 end,
                        next_attempt_at = case when @Outcome = 'retry' then @NextAttemptAt when revision = @Revision then null else @Now end,
                        updated_at = @Now
                    where id = @DeliveryId
                    """,
                    new
                    {
                        attempt.DeliveryId,
                        attempt.AttemptedAt,
                        record.Revision,
                        Outcome = record.Outcome.ToString().ToLowerInvariant(),
                        Status = AttemptLog.StatusAfter(record.Outcome),
                        NextAttemptAt = record.Outcome == DeliveryOutcome.Retry ? record.NextAttemptAt : null,
                        Now = now,
                    },
                    transaction,
                    cancellationToken: cancellationToken));
            }
        }, cancellationToken);

    /// <summary>Forgets every delivery (and its attempts) to one destination, inside the caller's write.</summary>
    public static Task DeleteForDestinationAsync(IDbConnection connection, IDbTransaction transaction, string kind, string destination, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "delete from deliveries where kind = @Kind and destination = @Destination",
            new { Kind = kind, Destination = destination },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>The newest attempt to each destination of <paramref name="kind"/>.</summary>
    public async Task<IReadOnlyDictionary<string, DeliveryAttempt>> LastAttemptsAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            """
            select a.id as Id, a.delivery_id as DeliveryId, a.kind as Kind, a.destination as Destination, a.attempted_at as AttemptedAt,
                   a.duration_ms as DurationMs, a.status_code as StatusCode, a.error_class as ErrorClass, a.error as Error,
                   a.response_excerpt as ResponseExcerpt
            from delivery_attempts a
            join (select max(id) as id from delivery_attempts where kind = @Kind group by destination) newest on newest.id = a.id
            """,
            new { Kind = kind },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAttempt()).ToDictionary(a => a.Destination, StringComparer.Ordinal);
    }

    /// <summary>How many deliveries of <paramref name="kind"/> are pending.</summary>
    public async Task<int> CountPendingAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from deliveries where kind = @Kind and status = 'pending'", new { Kind = kind }, cancellationToken: cancellationToken));
    }

    private sealed class DueRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Destination { get; init; } = "";
        public string Payload { get; init; } = "";
        public long Revision { get; init; }
        public long RetryStep { get; init; }
    }

    private sealed class AttemptRow
    {
        public Guid Id { get; init; }
        public string DeliveryId { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Destination { get; init; } = "";
        public DateTimeOffset AttemptedAt { get; init; }
        public long DurationMs { get; init; }
        public long? StatusCode { get; init; }
        public string? ErrorClass { get; init; }
        public string? Error { get; init; }
        public string? ResponseExcerpt { get; init; }

        public DeliveryAttempt ToAttempt() =>
            new(Id, DeliveryId, Kind, Destination, AttemptedAt, (int)DurationMs, (int?)StatusCode, ErrorClass, Error, ResponseExcerpt);
    }
}
