using System.Data;
using Dapper;
using Feeds.Core.Webhooks;
using Feeds.Data.Delivery;

namespace Feeds.Data.Webhooks;

/// <summary>
/// Webhook endpoints, their outbox of messages (one row per event and endpoint) and the log of delivery attempts.
/// Messages are written in the transaction of the change they announce (<see cref="EnqueueAsync"/>), so an event
/// is recorded exactly when its change is; everything after that is the dispatcher's business.
/// </summary>
public sealed class WebhookStore(Database database)
{
    public const int MaxPageSize = 200;

    private static readonly AttemptLog Attempts = new("webhook_attempts", "webhook_messages", "message_id", "endpoint_id");

    private readonly DeliveryClaims _claims = new(database, "webhook_messages");

    /// <summary>
    /// The notification channel on which every change of an endpoint's subscriptions is announced at its commit
    /// (PostgreSQL), so that every node forgets the subscriptions it keeps (<see cref="ForgetSubscriptions"/>).
    /// </summary>
    public const string SubscriptionsChannel = "webhook_subscriptions";

    /// <summary>The one notification of a change of subscriptions: it carries nothing but its channel.</summary>
    private static readonly string[] SubscriptionsChanged = [""];

    /// <summary>Bumped by every change of the subscriptions: what was read in an earlier generation is read again.</summary>
    private long _generation;

    private volatile KeptSubscriptions? _subscriptions;

    /// <summary>Whether every change of the subscriptions reaches this node: always on one database file, while listening on PostgreSQL.</summary>
    private volatile bool _hearsChanges = database.Dialect.NotifySql is null;

    private const string SelectEndpoint = """
        select id as Id, url as Url, status as Status, disabled_reason as DisabledReason, disabled_at as DisabledAt,
               failing_since as FailingSince, previous_secret_expires_at as PreviousSecretExpiresAt,
               created_at as CreatedAt, updated_at as UpdatedAt
        from webhook_endpoints
        """;

    private const string SelectMessage = """
        select id as Id, endpoint_id as EndpointId, event_type as EventType, post_id as PostId, body as Body, status as Status,
               attempt_count as AttemptCount, next_attempt_at as NextAttemptAt, last_attempt_at as LastAttemptAt,
               delivered_at as DeliveredAt, created_at as CreatedAt
        from webhook_messages
        """;

    public async Task<WebhookEndpoint> CreateEndpointAsync(NewWebhookEndpoint endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7(now);
        return await ChangeSubscriptionsAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into webhook_endpoints (id, url, status, disabled_reason, disabled_at, failing_since, secret,
                                               previous_secret, previous_secret_expires_at, created_at, updated_at)
                values (@Id, @Url, 'enabled', null, null, null, @Secret, null, null, @Now, @Now)
                """,
                new { Id = id, endpoint.Url, endpoint.Secret, Now = now },
                transaction,
                cancellationToken: cancellationToken));
            await ReplaceSubscriptionAsync(connection, transaction, id, endpoint.Events, endpoint.Tags, cancellationToken);
            return (await GetEndpointAsync(connection, transaction, id, cancellationToken))!;
        }, cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetEndpointAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EndpointRow>(new CommandDefinition(
            SelectEndpoint + " order by id", cancellationToken: cancellationToken));
        return await WithSubscriptionsAsync(connection, null, [.. rows], cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/>; null when there is no such endpoint. Re-enabling a disabled endpoint
    /// offers it its backlog: every pending message becomes due at once, with a fresh retry schedule.
    /// </summary>
    public async Task<WebhookEndpoint?> UpdateEndpointAsync(Guid id, WebhookEndpointChange change, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ChangeSubscriptionsAsync(async (connection, transaction) =>
        {
            var before = await GetEndpointAsync(connection, transaction, id, cancellationToken);
            if (before is null)
            {
                return null;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "update webhook_endpoints set url = @Url, updated_at = @Now where id = @Id",
                new { Id = id, Url = change.Url ?? before.Url, Now = now },
                transaction,
                cancellationToken: cancellationToken));

            if (change.Enabled == false && before.Enabled)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "update webhook_endpoints set status = 'disabled', disabled_reason = @Reason, disabled_at = @Now where id = @Id",
                    new { Id = id, Reason = "disabled through the API", Now = now },
                    transaction,
                    cancellationToken: cancellationToken));
            }
            else if (change.Enabled == true && !before.Enabled)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update webhook_endpoints set status = 'enabled', disabled_reason = null, disabled_at = null, failing_since = null
                    where id = @Id
                    """,
                    new { Id = id },
                    transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update webhook_messages set retry_step = 0, next_attempt_at = @Now, updated_at = @Now
                    where endpoint_id = @Id and status = 'pending'
                    """,
                    new { Id = id, Now = now },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            if (change.Events is not null || change.Tags is not null)
            {
                await ReplaceSubscriptionAsync(connection, transaction, id, change.Events ?? before.Events, change.Tags ?? before.Tags, cancellationToken);
            }

            return await GetEndpointAsync(connection, transaction, id, cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes an endpoint with its messages and attempts; false when there is no such endpoint.</summary>
    public async Task<bool> DeleteEndpointAsync(Guid id, CancellationToken cancellationToken) =>
        await ChangeSubscriptionsAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from webhook_endpoints where id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    /// <summary>Makes <paramref name="secret"/> current; the old one keeps signing until <paramref name="previousExpiresAt"/>.</summary>
    public async Task<WebhookEndpoint?> RotateSecretAsync(Guid id, string secret, DateTimeOffset previousExpiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                update webhook_endpoints
                set previous_secret = secret, previous_secret_expires_at = @PreviousExpiresAt, secret = @Secret, updated_at = @Now
                where id = @Id
                """,
                new { Id = id, Secret = secret, PreviousExpiresAt = previousExpiresAt, Now = now },
                transaction,
                cancellationToken: cancellationToken));
            return changed == 0 ? null : await GetEndpointAsync(connection, transaction, id, cancellationToken);
        }, cancellationToken);

    public async Task<WebhookTarget?> GetTargetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DueRow>(new CommandDefinition(
            """
            select id as EndpointId, url as Url, status as Status, secret as Secret,
                   previous_secret as PreviousSecret, previous_secret_expires_at as PreviousSecretExpiresAt
            from webhook_endpoints where id = @Id
            """,
            new { Id = id },
            cancellationToken: cancellationToken));
        return row?.Target;
    }

    private const string SelectSubscriptions = """
        select e.id, v.event_type, t.tag_slug
        from webhook_endpoints e
        join webhook_endpoint_events v on v.endpoint_id = e.id
        left join webhook_endpoint_tags t on t.endpoint_id = e.id
        order by e.id
        """;

    /// <summary>
    /// Writes one message per event and subscribed endpoint, inside the caller's write. Disabled endpoints get their
    /// messages too: they wait, undelivered, until the endpoint is enabled again. The subscriptions are matched here,
    /// as kept since the last change of them (<see cref="SubscriptionsAsync"/>); without a match no payload is rendered.
    /// The messages go to the database with the write's next statement or its commit.
    /// </summary>
    /// <returns>How many messages were written.</returns>
    public async Task<int> EnqueueAsync(IDbTransaction transaction, IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        var subscriptions = await SubscriptionsAsync(transaction, cancellationToken);
        var written = 0;
        foreach (var outboxEvent in events)
        {
            string? body = null;
            foreach (var endpoint in subscriptions.GroupBy(s => s.EndpointId).Where(e => Subscribes(e, outboxEvent)))
            {
                body ??= outboxEvent.RenderBody();
                await InsertMessageAsync(transaction, MessageRow(endpoint.Key, outboxEvent.Type, outboxEvent.PostId, body, outboxEvent.CreatedAt), cancellationToken);
                written++;
            }
        }

        return written;
    }

    /// <summary>
    /// Makes the next write read the subscriptions again. Called after every change of them here, and for every change
    /// another node announces on <see cref="SubscriptionsChannel"/>.
    /// </summary>
    public void ForgetSubscriptions() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// Tells the store whether every other node's change of the subscriptions reaches it (<see cref="ForgetSubscriptions"/>):
    /// while it does not (no listener yet, or its connection lost), every write reads them afresh.
    /// </summary>
    public void HearChanges(bool hearing)
    {
        _hearsChanges = hearing;
        ForgetSubscriptions();
    }

    /// <summary>
    /// Every endpoint's subscriptions, read once per generation rather than once per post: a create would otherwise read
    /// them each time, a round trip on PostgreSQL. The generation is taken before the read, so a change that commits
    /// while it runs makes the next write read them again.
    /// </summary>
    private async Task<IReadOnlyList<SubscriptionRow>> SubscriptionsAsync(IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _generation);
        if (_hearsChanges && _subscriptions is { } kept && kept.Generation == generation)
        {
            return kept.Rows;
        }

        var rows = new List<SubscriptionRow>();
        await using (var reader = await database.Prepared(transaction, SelectSubscriptions).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new SubscriptionRow(Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        _subscriptions = new KeptSubscriptions(generation, rows);
        return rows;
    }

    /// <summary>
    /// A write that may change endpoints' subscriptions: it tells every node at its commit (PostgreSQL; one node needs no
    /// telling), and this one once it is committed.
    /// </summary>
    private async Task<T> ChangeSubscriptionsAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(async (connection, transaction) =>
        {
            if (database.Dialect.NotifySql is { } notify)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    notify, new { Channel = SubscriptionsChannel, Payloads = SubscriptionsChanged }, transaction, cancellationToken: cancellationToken));
            }

            return await work(connection, transaction);
        }, cancellationToken);
        ForgetSubscriptions();
        return result;
    }

    /// <summary>An endpoint takes an event of a type it subscribes to, concerning one of its tags when it names any.</summary>
    private static bool Subscribes(IEnumerable<SubscriptionRow> endpoint, OutboxEvent outboxEvent) =>
        endpoint.Any(s => s.EventType == outboxEvent.Type)
        && (endpoint.All(s => s.TagSlug is null) || endpoint.Any(s => s.TagSlug is { } tag && outboxEvent.TagSlugs.Contains(tag, StringComparer.Ordinal)));

    /// <summary>Records a ping message, to be attempted once by the caller; its id is the ping's <c>webhook-id</c>.</summary>
    public async Task<string> CreatePingAsync(Guid endpointId, string body, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (_, transaction) =>
        {
            // Not due: the dispatcher must leave it alone while the ping request delivers it.
            var row = MessageRow(endpointId, WebhookEventTypes.Ping, null, body, now, nextAttemptAt: null);
            await InsertMessageAsync(transaction, row, cancellationToken);
            return row.Id;
        }, cancellationToken);

    /// <summary>
    /// Claims due messages of enabled endpoints for <paramref name="node"/> until <paramref name="claimUntil"/>: at most
    /// <paramref name="perEndpoint"/> per endpoint in flight across all nodes, and oldest first within each, so one
    /// endpoint's backlog never crowds out another's first message (<see cref="DeliveryClaims"/>): delivery stays at least
    /// once, under one <c>webhook-id</c>, and no two nodes send a message at the same time. Rows are ranked within their
    /// endpoint, those in flight first, and lower ranks come first across endpoints.
    /// </summary>
    public async Task<IReadOnlyList<DueMessage>> ClaimDueAsync(
        string node, DateTimeOffset now, DateTimeOffset claimUntil, int perEndpoint, int take, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var candidates = (await connection.QueryAsync<string>(new CommandDefinition(
                """
                with due as (
                    select m.id, m.next_attempt_at, m.claimed_until,
                           row_number() over (
                               partition by m.endpoint_id
                               order by case when m.claimed_until > @Now then 0 else 1 end, m.next_attempt_at, m.id) as rank_in_endpoint
                    from webhook_messages m
                    join webhook_endpoints e on e.id = m.endpoint_id
                    where m.status = 'pending' and m.next_attempt_at <= @Now and e.status = 'enabled'
                )
                select id from due
                where rank_in_endpoint <= @PerEndpoint and (claimed_until is null or claimed_until <= @Now)
                order by rank_in_endpoint, next_attempt_at, id
                limit @Take
                """,
                new { Now = now, PerEndpoint = perEndpoint, Take = take },
                transaction,
                cancellationToken: cancellationToken))).ToArray();
            var ids = await _claims.ClaimAsync(connection, transaction, candidates, node, now, claimUntil, cancellationToken);
            if (ids.Count == 0)
            {
                return (IReadOnlyList<DueMessage>)[];
            }

            var rows = await connection.QueryAsync<DueRow>(new CommandDefinition(
                $"""
                select m.id as Id, m.body as Body, m.retry_step as RetryStep, e.id as EndpointId, e.url as Url, e.status as Status, e.secret as Secret,
                       e.previous_secret as PreviousSecret, e.previous_secret_expires_at as PreviousSecretExpiresAt
                from webhook_messages m
                join webhook_endpoints e on e.id = m.endpoint_id
                where {database.Dialect.In("m.id", "@Ids")}
                """,
                new { Ids = ids.ToArray() },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.OrderBy(r => Array.IndexOf(candidates, r.Id)).Select(r => new DueMessage(r.Id, r.Body, (int)r.RetryStep, r.Target))];
        }, cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.RenewAsync"/>
    public Task RenewAsync(string node, DateTimeOffset claimUntil, CancellationToken cancellationToken) => _claims.RenewAsync(node, claimUntil, cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.ReleaseClaimsOfTheDeadAsync"/>
    public Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken) => _claims.ReleaseClaimsOfTheDeadAsync(cancellationToken);

    /// <inheritdoc cref="DeliveryClaims.ReleaseAsync"/>
    public Task ReleaseAsync(string node, IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        _claims.ReleaseAsync(node, messageIds, cancellationToken);

    /// <summary>
    /// When the next pending message of an enabled endpoint falls due after <paramref name="now"/>, or a claim on a due one
    /// runs out (its node died), if either happens.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            select min(case when m.next_attempt_at > @Now then m.next_attempt_at else m.claimed_until end)
            from webhook_messages m
            join webhook_endpoints e on e.id = m.endpoint_id
            where m.status = 'pending' and (m.next_attempt_at > @Now or m.claimed_until > @Now) and e.status = 'enabled'
            """,
            new { Now = now },
            cancellationToken: cancellationToken));
        return next is null ? null : StoredValues.ParseTime(next);
    }

    /// <summary>
    /// Stores attempts and their consequences in one transaction. A success clears the endpoint's failure streak;
    /// a failure starts one if none is running, and an endpoint whose streak began at or before
    /// <paramref name="failingCutoff"/> is disabled.
    /// </summary>
    /// <returns>The endpoints this disabled, with the reason.</returns>
    public async Task<IReadOnlyList<(Guid EndpointId, string Reason)>> RecordAsync(
        IReadOnlyList<AttemptRecord> records, DateTimeOffset failingCutoff, string failingReason, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var disabled = new List<(Guid, string)>();
            foreach (var record in records)
            {
                var attempt = record.Attempt;
                await Attempts.WriteAsync(connection, transaction, attempt, cancellationToken);

                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update webhook_messages
                    set status = @Status, attempt_count = attempt_count + 1, claimed_by = null, claimed_until = null,
                        retry_step = case when @Status = 'pending' then retry_step + 1 else retry_step end,
                        next_attempt_at = @NextAttemptAt, last_attempt_at = @AttemptedAt, delivered_at = @DeliveredAt, updated_at = @AttemptedAt
                    where id = @MessageId
                    """,
                    new
                    {
                        attempt.MessageId,
                        attempt.AttemptedAt,
                        Status = AttemptLog.StatusAfter(record.Outcome),
                        NextAttemptAt = record.Outcome == DeliveryOutcome.Retry ? record.NextAttemptAt : null,
                        DeliveredAt = record.Outcome == DeliveryOutcome.Delivered ? attempt.AttemptedAt : (DateTimeOffset?)null,
                    },
                    transaction,
                    cancellationToken: cancellationToken));

                if (record.Outcome == DeliveryOutcome.Delivered)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "update webhook_endpoints set failing_since = null where id = @EndpointId and failing_since is not null",
                        new { attempt.EndpointId },
                        transaction,
                        cancellationToken: cancellationToken));
                    continue;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "update webhook_endpoints set failing_since = @AttemptedAt where id = @EndpointId and failing_since is null",
                    new { attempt.EndpointId, attempt.AttemptedAt },
                    transaction,
                    cancellationToken: cancellationToken));

                var reason = record.DisableReason ?? failingReason;
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update webhook_endpoints set status = 'disabled', disabled_reason = @Reason, disabled_at = @AttemptedAt
                    where id = @EndpointId and status = 'enabled' and (@Immediately = 1 or failing_since <= @FailingCutoff)
                    """,
                    new { attempt.EndpointId, attempt.AttemptedAt, Reason = reason, Immediately = record.DisableReason is null ? 0 : 1, FailingCutoff = failingCutoff },
                    transaction,
                    cancellationToken: cancellationToken));
                if (changed > 0)
                {
                    disabled.Add((attempt.EndpointId, reason));
                }
            }

            return (IReadOnlyList<(Guid, string)>)disabled;
        }, cancellationToken);

    /// <summary>An endpoint's messages, newest first; <paramref name="before"/> is the last id of the previous page.</summary>
    public async Task<IReadOnlyList<WebhookMessage>> ListMessagesAsync(
        Guid endpointId, string? status, string? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MessageRowRead>(new CommandDefinition(
            SelectMessage + """
                 where endpoint_id = @EndpointId
                  and (@Status is null or status = @Status)
                  and (@Before is null or id < @Before)
                order by id desc
                limit @Limit
                """,
            new { EndpointId = endpointId, Status = status, Before = before, Limit = Math.Clamp(limit, 1, MaxPageSize) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToMessage())];
    }

    public async Task<WebhookMessage?> GetMessageAsync(Guid endpointId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRowRead>(new CommandDefinition(
            SelectMessage + " where endpoint_id = @EndpointId and id = @MessageId",
            new { EndpointId = endpointId, MessageId = messageId },
            cancellationToken: cancellationToken));
        return row?.ToMessage();
    }

    /// <summary>An endpoint's attempts, newest first, optionally for one message.</summary>
    public async Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(
        Guid endpointId, string? messageId, Guid? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            """
            select id as Id, message_id as MessageId, endpoint_id as EndpointId, attempted_at as AttemptedAt, duration_ms as DurationMs,
                   status_code as StatusCode, error_class as ErrorClass, error as Error, response_excerpt as ResponseExcerpt
            from webhook_attempts
            where endpoint_id = @EndpointId
              and (@MessageId is null or message_id = @MessageId)
              and (@Before is null or id < @Before)
            order by id desc
            limit @Limit
            """,
            new { EndpointId = endpointId, MessageId = messageId, Before = before, Limit = Math.Clamp(limit, 1, MaxPageSize) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAttempt())];
    }

    /// <summary>
    /// Sends messages again, under their original ids, with a fresh retry schedule: one message, or every message of the
    /// endpoint created in [<paramref name="since"/>, <paramref name="until"/>) with <paramref name="status"/> (any when null).
    /// </summary>
    /// <returns>How many messages were queued.</returns>
    public async Task<int> ReplayAsync(
        Guid endpointId, string? messageId, DateTimeOffset? since, DateTimeOffset? until, string? status, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update webhook_messages
                set status = 'pending', retry_step = 0, next_attempt_at = @Now, delivered_at = null, updated_at = @Now
                where endpoint_id = @EndpointId
                  and (@MessageId is null or id = @MessageId)
                  and (@Since is null or created_at >= @Since)
                  and (@Until is null or created_at < @Until)
                  and (@Status is null or status = @Status)
                """,
                new { EndpointId = endpointId, MessageId = messageId, Since = since, Until = until, Status = status, Now = now },
                transaction,
                cancellationToken: cancellationToken)),
            cancellationToken);

    // Only for an endpoint still there: the subscriptions matched may have been kept from before another node deleted it.
    private const string InsertMessage = """
        insert into webhook_messages (id, endpoint_id, event_type, post_id, body, status, attempt_count, retry_step,
                                      next_attempt_at, last_attempt_at, delivered_at, created_at, updated_at)
        select @Id, @EndpointId, @EventType, @PostId, @Body, 'pending', 0, 0, @NextAttemptAt, null, null, @CreatedAt, @CreatedAt
        where exists (select 1 from webhook_endpoints where id = @EndpointId)
        """;

    private Task InsertMessageAsync(IDbTransaction transaction, NewMessageRow row, CancellationToken cancellationToken) =>
        database.ExecuteLaterAsync(
            transaction,
            InsertMessage,
            cancellationToken,
            ("@Id", row.Id),
            ("@EndpointId", row.EndpointId),
            ("@EventType", row.EventType),
            ("@PostId", row.PostId),
            ("@Body", row.Body),
            ("@NextAttemptAt", row.NextAttemptAt),
            ("@CreatedAt", row.CreatedAt));

    private static NewMessageRow MessageRow(Guid endpointId, string type, Guid? postId, string body, DateTimeOffset createdAt) =>
        MessageRow(endpointId, type, postId, body, createdAt, createdAt);

    private static NewMessageRow MessageRow(Guid endpointId, string type, Guid? postId, string body, DateTimeOffset createdAt, DateTimeOffset? nextAttemptAt) =>
        new(WebhookMessageId.New(createdAt), endpointId, type, postId, body, nextAttemptAt, createdAt);

    private static async Task<WebhookEndpoint?> GetEndpointAsync(IDbConnection connection, IDbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EndpointRow>(new CommandDefinition(
            SelectEndpoint + " where id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : (await WithSubscriptionsAsync(connection, transaction, [row], cancellationToken))[0];
    }

    private static async Task<IReadOnlyList<WebhookEndpoint>> WithSubscriptionsAsync(
        IDbConnection connection, IDbTransaction? transaction, IReadOnlyList<EndpointRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        // One query per table for the whole page, not one per endpoint.
        var ids = rows.Select(r => r.Id.ToString("D")).ToArray();
        var events = (await connection.QueryAsync<(Guid EndpointId, string EventType)>(new CommandDefinition(
                $"select endpoint_id, event_type from webhook_endpoint_events where {SqlDialect.Of(connection).In("endpoint_id", "@Ids")} order by endpoint_id, event_type",
                new { Ids = ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(e => e.EndpointId, e => e.EventType);
        var tags = (await connection.QueryAsync<(Guid EndpointId, string TagSlug)>(new CommandDefinition(
                $"select endpoint_id, tag_slug from webhook_endpoint_tags where {SqlDialect.Of(connection).In("endpoint_id", "@Ids")} order by endpoint_id, tag_slug",
                new { Ids = ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(t => t.EndpointId, t => t.TagSlug);

        return [.. rows.Select(r => new WebhookEndpoint(
            r.Id, r.Url, [.. WebhookEventTypes.Subscribable.Where(events[r.Id].Contains)], [.. tags[r.Id]], r.Status == "enabled",
            r.DisabledReason, r.DisabledAt, r.FailingSince, r.PreviousSecretExpiresAt, r.CreatedAt, r.UpdatedAt))];
    }

    private static async Task ReplaceSubscriptionAsync(
        IDbConnection connection, IDbTransaction transaction, Guid id, IReadOnlyList<string> events, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from webhook_endpoint_events where endpoint_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from webhook_endpoint_tags where endpoint_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into webhook_endpoint_events (endpoint_id, event_type) values (@Id, @EventType)",
            events.Distinct(StringComparer.Ordinal).Select(e => new { Id = id, EventType = e }).ToArray(),
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into webhook_endpoint_tags (endpoint_id, tag_slug) values (@Id, @TagSlug)",
            tags.Distinct(StringComparer.Ordinal).Select(t => new { Id = id, TagSlug = t }).ToArray(),
            transaction,
            cancellationToken: cancellationToken));
    }

    private sealed record NewMessageRow(string Id, Guid EndpointId, string EventType, Guid? PostId, string Body, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);

    private sealed record SubscriptionRow(Guid EndpointId, string EventType, string? TagSlug);

    private sealed record KeptSubscriptions(long Generation, IReadOnlyList<SubscriptionRow> Rows);

    private sealed class EndpointRow
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string Status { get; init; } = "";
        public string? DisabledReason { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
        public DateTimeOffset? FailingSince { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    private sealed class DueRow
    {
        public string Id { get; init; } = "";
        public string Body { get; init; } = "";
        public long RetryStep { get; init; }
        public Guid EndpointId { get; init; }
        public string Url { get; init; } = "";
        public string Status { get; init; } = "";
        public string Secret { get; init; } = "";
        public string? PreviousSecret { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

        public WebhookTarget Target => new(EndpointId, Url, Status == "enabled", Secret, PreviousSecret, PreviousSecretExpiresAt);
    }

    private sealed class MessageRowRead
    {
        public string Id { get; init; } = "";
        public Guid EndpointId { get; init; }
        public string EventType { get; init; } = "";
        public Guid? PostId { get; init; }
        public string Body { get; init; } = "";
        public string Status { get; init; } = "";
        public long AttemptCount { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public DateTimeOffset? LastAttemptAt { get; init; }
        public DateTimeOffset? DeliveredAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public WebhookMessage ToMessage() =>
            new(Id, EndpointId, EventType, PostId, Body, Status, (int)AttemptCount, NextAttemptAt, LastAttemptAt, DeliveredAt, CreatedAt);
    }

    private sealed class AttemptRow
    {
        public Guid Id { get; init; }
        public string MessageId { get; init; } = "";
        public Guid EndpointId { get; init; }
        public DateTimeOffset AttemptedAt { get; init; }
        public long DurationMs { get; init; }
        public long? StatusCode { get; init; }
        public string? ErrorClass { get; init; }
        public string? Error { get; init; }
        public string? ResponseExcerpt { get; init; }

        public WebhookAttempt ToAttempt() =>
            new(Id, MessageId, EndpointId, AttemptedAt, (int)DurationMs, (int?)StatusCode, ErrorClass, Error, ResponseExcerpt);
    }
}
