using Dapper;

namespace Feeds.Data.Sources;

/// <summary>
/// The WebSub side of sources: finding a source by its callback, the subscriptions that need attention, and how each
/// request, verification and push went. Every write names the hub and topic it acted on, so one that crossed a poll
/// which found another hub changes nothing.
/// </summary>
public sealed class SourcePushStore(Database database)
{
    /// <summary>The source whose callback ends in <paramref name="token"/>, if any.</summary>
    public async Task<Source?> FindByCallbackAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceStore.SourceRow>(new CommandDefinition(
            SourceStore.Select + " where push_callback_token = @token", new { token }, cancellationToken: cancellationToken));
        var sources = await SourceStore.WithTagsAsync(connection, null, [.. rows], cancellationToken);
        return sources.Count == 0 ? null : sources[0];
    }

    /// <summary>Sources whose subscription needs attention at <paramref name="asOf"/>, the longest waiting first.</summary>
    public async Task<IReadOnlyList<Source>> ListDueAsync(DateTimeOffset asOf, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceStore.SourceRow>(new CommandDefinition(
            SourceStore.Select + " where push_state is not null and push_next_at <= @AsOf order by push_next_at, id limit @Take",
            new { AsOf = asOf, Take = take },
            cancellationToken: cancellationToken));
        return await SourceStore.WithTagsAsync(connection, null, [.. rows], cancellationToken);
    }

    /// <summary>
    /// The hub is being asked for a subscription under <paramref name="token"/> and <paramref name="secret"/>. A first
    /// request waits for verification; a renewal keeps the subscription active on its current lease meanwhile.
    /// </summary>
    public Task<bool> RecordRequestedAsync(
        long id, SourcePush push, string token, string secret, DateTimeOffset now, DateTimeOffset nextAt, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            update sources
            set push_state = @State, push_reason = null, push_callback_token = @Token, push_secret = @Secret, push_requested_at = @Now, push_next_at = @NextAt
            where id = @Id and hub_url = @Hub and hub_topic = @Topic
            """,
            new
            {
                Id = id,
                push.Hub,
                push.Topic,
                State = (push.State == PushState.Active ? PushState.Active : PushState.Requested).ToName(),
                Token = token,
                Secret = secret,
                Now = now,
                NextAt = nextAt,
            },
            cancellationToken);

    /// <summary>
    /// The source is polled again: the hub refused, denied, went away, or the lease ended. A source that was pushed is
    /// polled at once, for whatever was published since the hub last pushed.
    /// </summary>
    public Task<bool> RecordFailedAsync(long id, SourcePush push, string reason, DateTimeOffset now, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            update sources
            set push_state = 'failed', push_reason = @Reason, push_lease_ends_at = null, push_next_at = @RetryAt,
                next_check_at = case when @WasActive = 1 and stopped = 0 then @Now else next_check_at end
            where id = @Id and hub_url = @Hub and hub_topic = @Topic
            """,
            new { Id = id, push.Hub, push.Topic, Reason = reason, Now = now, RetryAt = retryAt, WasActive = push.State == PushState.Active },
            cancellationToken);

    /// <summary>
    /// The hub verified the subscription under <paramref name="token"/> until <paramref name="leaseEndsAt"/>; a healthy
    /// source is polled from now on only every <paramref name="safetyPoll"/>.
    /// </summary>
    public Task<bool> RecordVerifiedAsync(
        long id, string token, DateTimeOffset now, DateTimeOffset leaseEndsAt, DateTimeOffset renewAt, TimeSpan safetyPoll, string intervalReason,
        CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            update sources
            set push_state = 'active', push_reason = null, push_lease_ends_at = @LeaseEndsAt, push_next_at = @RenewAt,
                next_check_at = case when error_count = 0 and stopped = 0 then @NextCheckAt else next_check_at end,
                effective_interval_minutes = case when error_count = 0 and stopped = 0 then @Minutes else effective_interval_minutes end,
                interval_reason = case when error_count = 0 and stopped = 0 then @IntervalReason else interval_reason end
            where id = @Id and push_callback_token = @Token
            """,
            new
            {
                Id = id,
                Token = token,
                LeaseEndsAt = leaseEndsAt,
                RenewAt = renewAt,
                NextCheckAt = now + safetyPoll,
                Minutes = (int)Math.Round(safetyPoll.TotalMinutes),
                IntervalReason = intervalReason,
            },
            cancellationToken);

    /// <summary>Notes when the hub last pushed content that was signed correctly.</summary>
    public Task<bool> RecordPushAsync(long id, string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "update sources set last_push_at = @Now where id = @Id and push_callback_token = @Token",
            new { Id = id, Token = token, Now = now },
            cancellationToken);

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);
}
