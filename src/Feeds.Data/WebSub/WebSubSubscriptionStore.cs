using System.Data;
using Dapper;
using Feeds.Data.Delivery;

namespace Feeds.Data.WebSub;

/// <summary>The built-in hub's verified subscriptions. Requests waiting for verification are not stored: until the subscriber confirms, nothing changes.</summary>
public sealed class WebSubSubscriptionStore(Database database, OutboxStore outbox)
{
    /// <summary>The delivery kind of distributions, which name their subscription as destination.</summary>
    public const string DistributionKind = "websub";

    private const string SelectSubscription = """
        select id as Id, topic as Topic, feed_key as FeedKey, format as Format, callback as Callback, secret as Secret,
               lease_seconds as LeaseSeconds, lease_ends_at as LeaseEndsAt, created_at as CreatedAt, verified_at as VerifiedAt
        from websub_subscriptions
        """;

    private const string SelectActiveForDocument = """
        select id from websub_subscriptions where feed_key = @FeedKey and format = @Format and lease_ends_at > @Now
        """;

    /// <summary>
    /// Records a verified subscription, or renews one: the same topic and callback keep their id, and take the new
    /// secret and lease (WebSub section 5.1: a new request replaces the old).
    /// </summary>
    public Task<WebSubSubscription> SaveVerifiedAsync(
        string topic, string feedKey, string format, string callback, string? secret, int leaseSeconds, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into websub_subscriptions (id, topic, feed_key, format, callback, secret, lease_seconds, lease_ends_at, created_at, verified_at)
                values (@Id, @Topic, @FeedKey, @Format, @Callback, @Secret, @LeaseSeconds, @LeaseEndsAt, @Now, @Now)
                on conflict (topic, callback) do update set
                    secret = excluded.secret, lease_seconds = excluded.lease_seconds, lease_ends_at = excluded.lease_ends_at,
                    verified_at = excluded.verified_at
                """,
                new
                {
                    Id = Guid.CreateVersion7(now),
                    Topic = topic,
                    FeedKey = feedKey,
                    Format = format,
                    Callback = callback,
                    Secret = secret,
                    LeaseSeconds = leaseSeconds,
                    LeaseEndsAt = now.AddSeconds(leaseSeconds),
                    Now = now,
                },
                transaction,
                cancellationToken: cancellationToken));
            return (await connection.QuerySingleAsync<Row>(new CommandDefinition(
                SelectSubscription + " where topic = @Topic and callback = @Callback",
                new { Topic = topic, Callback = callback },
                transaction,
                cancellationToken: cancellationToken))).ToSubscription();
        }, cancellationToken);

    /// <summary>Ends a subscription with its pending distributions; false when there was none.</summary>
    public Task<bool> DeleteAsync(string topic, string callback, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var id = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                "select id from websub_subscriptions where topic = @Topic and callback = @Callback",
                new { Topic = topic, Callback = callback },
                transaction,
                cancellationToken: cancellationToken));
            return id is { } found && await DeleteAsync(connection, transaction, found, cancellationToken);
        }, cancellationToken);

    /// <summary>Ends a subscription by id (its callback answered 410 Gone) with its pending distributions.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => DeleteAsync(connection, transaction, id, cancellationToken), cancellationToken);

    private static async Task<bool> DeleteAsync(IDbConnection connection, IDbTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        await OutboxStore.DeleteForDestinationAsync(connection, transaction, DistributionKind, id.ToString("D"), cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from websub_subscriptions where id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<WebSubSubscription?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectSubscription + " where id = @Id", new { Id = id }, cancellationToken: cancellationToken)))?.ToSubscription();
    }

    /// <summary>Every subscription, expired ones too, by topic and then callback.</summary>
    public async Task<IReadOnlyList<WebSubSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await connection.QueryAsync<Row>(new CommandDefinition(
            SelectSubscription + " order by topic, callback", cancellationToken: cancellationToken))).Select(r => r.ToSubscription())];
    }

    /// <summary>
    /// Queues a distribution to every subscription of each document whose lease runs at <paramref name="now"/>, inside
    /// the caller's write: one pending distribution per subscription, whatever the number of changes before it is sent.
    /// </summary>
    /// <returns>How many distributions were queued or refreshed.</returns>
    public async Task<int> QueueDistributionsAsync(
        IDbConnection connection, IDbTransaction transaction, IEnumerable<(string FeedKey, string Format)> documents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deliveries = new List<NewDelivery>();
        foreach (var (feedKey, format) in documents)
        {
            var ids = await connection.QueryAsync<string>(new CommandDefinition(
                SelectActiveForDocument, new { FeedKey = feedKey, Format = format, Now = now }, transaction, cancellationToken: cancellationToken));
            deliveries.AddRange(ids.Select(id => new NewDelivery(DistributionKind, id, $"{DistributionKind}:{id}", "")));
        }

        return deliveries.Count == 0 ? 0 : await outbox.EnqueueAsync(transaction, deliveries, now, cancellationToken);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Topic { get; init; } = "";
        public string FeedKey { get; init; } = "";
        public string Format { get; init; } = "";
        public string Callback { get; init; } = "";
        public string? Secret { get; init; }
        public long LeaseSeconds { get; init; }
        public DateTimeOffset LeaseEndsAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset VerifiedAt { get; init; }

        public WebSubSubscription ToSubscription() =>
            new(Id, Topic, FeedKey, Format, Callback, Secret, (int)LeaseSeconds, LeaseEndsAt, CreatedAt, VerifiedAt);
    }
}
