using System.Data;
using Dapper;
using Feeds.Data.Delivery;

namespace Feeds.Data.ActivityPub;

/// <summary>Who follows the site's actors. A follow and the <c>Accept</c> that answers it are stored in one transaction.</summary>
public sealed class FollowerStore(Database database, OutboxStore outbox)
{
    private const string SelectFollower = """
        select actor as Actor, follower as FollowerId, inbox as Inbox, shared_inbox as SharedInbox, follow_id as FollowId, created_at as CreatedAt
        from activitypub_followers
        """;

    /// <summary>Records (or renews) a follow and queues <paramref name="accept"/> to the follower in the same transaction.</summary>
    public Task FollowAsync(Follower follower, NewDelivery accept, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into activitypub_followers (actor, follower, inbox, shared_inbox, follow_id, created_at)
                values (@Actor, @FollowerId, @Inbox, @SharedInbox, @FollowId, @CreatedAt)
                on conflict (actor, follower) do update set
                    inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id
                """,
                follower,
                transaction,
                cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(transaction, [accept], now, cancellationToken);
        }, cancellationToken);

    /// <summary>Ends one follow; false when there was none.</summary>
    public Task<bool> UnfollowAsync(string actor, string followerId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "delete from activitypub_followers where actor = @Actor and follower = @FollowerId",
            new { Actor = actor, FollowerId = followerId },
            transaction,
            cancellationToken: cancellationToken)) > 0, cancellationToken);

    /// <summary>Ends every follow of a remote actor that was deleted; how many there were.</summary>
    public Task<int> RemoveFollowerAsync(string followerId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "delete from activitypub_followers where follower = @FollowerId",
            new { FollowerId = followerId },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Every follow, by actor and then oldest first.</summary>
    public async Task<IReadOnlyList<Follower>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            SelectFollower + " order by actor, created_at, follower", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Follower(r.Actor, r.FollowerId, r.Inbox, r.SharedInbox, r.FollowId, r.CreatedAt))];
    }

    public async Task<int> CountAsync(string actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from activitypub_followers where actor = @Actor", new { Actor = actor }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The inboxes reaching every follower of <paramref name="actors"/>, each once: a server's shared inbox stands for
    /// all its followers, inside the caller's write.
    /// </summary>
    public static async Task<IReadOnlyList<string>> InboxesAsync(IDbConnection connection, IDbTransaction transaction, IReadOnlyList<string> actors, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<string>(new CommandDefinition(
            $"select distinct coalesce(shared_inbox, inbox) from activitypub_followers where {SqlDialect.Of(connection).In("actor", "@Actors")} order by 1",
            new { Actors = actors.ToArray() },
            transaction,
            cancellationToken: cancellationToken))];

    private sealed class Row
    {
        public string Actor { get; init; } = "";
        public string FollowerId { get; init; } = "";
        public string Inbox { get; init; } = "";
        public string? SharedInbox { get; init; }
        public string? FollowId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}
