using System.Data;
using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Sources;
using Feeds.Data.Posts;

namespace Feeds.Data.Sources;

/// <summary>
/// Followed sources, their tags and the items they have seen. A poll's posts, its item records and the source's new
/// fetch state are written in one transaction through <see cref="PostStore.WriteAsync{T}"/>, so the post hooks (dirty
/// feeds, webhooks) follow, and a poll is stored whole or not at all.
/// </summary>
public sealed class SourceStore(Database database, PostStore posts)
{
    /// <summary>Keys per <c>in</c> list, well inside SQLite's limit on parameters.</summary>
    private const int KeysPerQuery = 500;

    private const string SelectSource = """
        select id as Id, url as Url, site_url as SiteUrl, title as Title, feed_title as FeedTitle, mode as Mode,
               interval_minutes as IntervalMinutes, interval_chosen as IntervalChosen, backfill as Backfill, created_at as CreatedAt, updated_at as UpdatedAt,
               etag as ETag, last_modified as LastModified, body_sha256 as BodySha256,
               suggested_interval_minutes as SuggestedIntervalMinutes, suggested_by as SuggestedBy,
               effective_interval_minutes as EffectiveIntervalMinutes, interval_reason as IntervalReason, last_status as LastStatus,
               last_checked_at as LastCheckedAt, last_success_at as LastSuccessAt, next_check_at as NextCheckAt,
               error_count as ErrorCount, last_error as LastError, stopped as Stopped, fetch_warnings as Warnings,
               hub_url as Hub, hub_topic as Topic, push_state as PushState, push_reason as PushReason,
               push_callback_token as CallbackToken, push_secret as Secret, push_lease_ends_at as LeaseEndsAt,
               push_requested_at as RequestedAt, push_next_at as PushNextAt, last_push_at as LastPushAt
        from sources
        """;

    private const string UpdateFetchState = """
        update sources
        set etag = @ETag, last_modified = @LastModified, body_sha256 = @BodySha256,
            suggested_interval_minutes = @SuggestedIntervalMinutes, suggested_by = @SuggestedBy,
            effective_interval_minutes = @EffectiveIntervalMinutes, interval_reason = @IntervalReason, last_status = @LastStatus,
            last_checked_at = @LastCheckedAt, last_success_at = @LastSuccessAt, next_check_at = @NextCheckAt,
            error_count = @ErrorCount, last_error = @LastError, stopped = @Stopped, fetch_warnings = @Warnings
        where id = @Id
        """;

    /// <summary>The one select every read of a source starts from, for the stores that read sources by other keys.</summary>
    internal const string Select = SelectSource;

    public async Task<Source?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Every source, oldest first.</summary>
    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(SelectSource + " order by id", cancellationToken: cancellationToken));
        return await WithTagsAsync(connection, null, [.. rows], cancellationToken);
    }

    /// <summary>Sources due at <paramref name="asOf"/> that are still polled, the longest overdue first.</summary>
    public async Task<IReadOnlyList<Source>> ListDueAsync(DateTimeOffset asOf, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(
            SelectSource + " where stopped = 0 and next_check_at <= @AsOf order by next_check_at, id limit @Take",
            new { AsOf = asOf, Take = take },
            cancellationToken: cancellationToken));
        return await WithTagsAsync(connection, null, [.. rows], cancellationToken);
    }

    /// <summary>The source following <paramref name="url"/>, if any.</summary>
    public async Task<long?> FindByUrlAsync(string url, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "select id from sources where url = @url", new { url }, cancellationToken: cancellationToken));
    }

    /// <summary>What the source has recorded about the items with these keys; keys it has never seen are absent.</summary>
    public async Task<IReadOnlyDictionary<string, SourceItemState>> GetItemStatesAsync(
        long sourceId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetItemStatesAsync(connection, null, sourceId, keys, cancellationToken);
    }

    /// <summary>
    /// Adds a source and, when it was read at once, stores that first poll with it. Nothing is stored when another
    /// source already follows the URL (<see cref="SourceWrite.ConflictingId"/>).
    /// </summary>
    public Task<SourceWrite> CreateAsync(NewSource source, SourcePollRecord? firstPoll, DateTimeOffset now, CancellationToken cancellationToken) =>
        posts.WriteAsync(async writer =>
        {
            if (await ConflictingIdAsync(writer, source.Url, exceptId: null, cancellationToken) is { } existing)
            {
                return new SourceWrite(null, existing);
            }

            var id = await InsertAsync(writer, source, now, cancellationToken);
            return firstPoll is null
                ? new SourceWrite(await GetAsync(writer.Connection, writer.Transaction, id, cancellationToken))
                : await ApplyPollAsync(writer, id, firstPoll, cancellationToken);
        }, cancellationToken);

    /// <summary>Adds sources that are not followed yet, due at <paramref name="now"/>; returns the URLs that were.</summary>
    public Task<IReadOnlyList<string>> CreateManyAsync(IReadOnlyList<NewSource> sources, DateTimeOffset now, CancellationToken cancellationToken) =>
        posts.WriteAsync<IReadOnlyList<string>>(async writer =>
        {
            var created = new List<string>();
            foreach (var source in sources)
            {
                if (await ConflictingIdAsync(writer, source.Url, exceptId: null, cancellationToken) is null)
                {
                    await InsertAsync(writer, source, now, cancellationToken);
                    created.Add(source.Url);
                }
            }

            return created;
        }, cancellationToken);

    /// <summary>
    /// Replaces the author's settings. With <paramref name="firstPoll"/> the source moves to another feed: its fetch
    /// state starts afresh from that poll, while the items it has seen stay seen. Without it, <paramref name="rescheduled"/>
    /// moves the next check (when the interval changed); the rest of the fetch state stays as the last poll left it.
    /// </summary>
    public Task<SourceWrite> UpdateAsync(
        long id, SourceSettings settings, SourcePollRecord? firstPoll, SourceFetchState? rescheduled, DateTimeOffset now, CancellationToken cancellationToken) =>
        posts.WriteAsync(async writer =>
        {
            if (await GetAsync(writer.Connection, writer.Transaction, id, cancellationToken) is null)
            {
                return new SourceWrite(null);
            }

            if (firstPoll?.Feed is { } feed && await ConflictingIdAsync(writer, feed.Url, exceptId: id, cancellationToken) is { } existing)
            {
                return new SourceWrite(null, existing);
            }

            await writer.Connection.ExecuteAsync(new CommandDefinition(
                """
                update sources
                set title = @Title, mode = @Mode, interval_minutes = @IntervalMinutes, interval_chosen = @IntervalChosen,
                    backfill = @Backfill, updated_at = @Now
                where id = @Id
                """,
                new { Id = id, settings.Title, Mode = settings.Mode.ToName(), settings.IntervalMinutes, settings.IntervalChosen, settings.Backfill, Now = now },
                writer.Transaction,
                cancellationToken: cancellationToken));
            if (firstPoll is null && rescheduled is not null)
            {
                await writer.Connection.ExecuteAsync(new CommandDefinition(
                    """
                    update sources
                    set next_check_at = @NextCheckAt, effective_interval_minutes = @EffectiveIntervalMinutes, interval_reason = @IntervalReason
                    where id = @Id
                    """,
                    new { Id = id, rescheduled.NextCheckAt, rescheduled.EffectiveIntervalMinutes, rescheduled.IntervalReason },
                    writer.Transaction,
                    cancellationToken: cancellationToken));
            }
            await ReplaceTagsAsync(writer, id, settings.Tags, cancellationToken);
            return firstPoll is null
                ? new SourceWrite(await GetAsync(writer.Connection, writer.Transaction, id, cancellationToken))
                : await ApplyPollAsync(writer, id, firstPoll, cancellationToken);
        }, cancellationToken);

    /// <summary>Stores a poll: the posts its new items make, the items it has seen, and the fetch state.</summary>
    /// <returns>The source after the poll, or a null source when it was deleted meanwhile (then nothing is stored).</returns>
    public Task<SourceWrite> RecordPollAsync(long id, SourcePollRecord poll, CancellationToken cancellationToken) =>
        posts.WriteAsync(async writer =>
            await GetAsync(writer.Connection, writer.Transaction, id, cancellationToken) is null
                ? new SourceWrite(null)
                : await ApplyPollAsync(writer, id, poll, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Stores the fetch state of a poll that read nothing (not modified, or failed): one statement, no posts, so the
    /// common case of a polling round stays cheap. False when the source no longer exists.
    /// </summary>
    public async Task<bool> RecordFetchAsync(long id, SourceFetchState fetch, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(UpdateFetchState, FetchParameters(id, fetch), transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    /// <summary>Deletes a source with its tags and item records. Its posts stay, still naming it as their source.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from sources where id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    private static async Task<SourceWrite> ApplyPollAsync(PostWriter writer, long id, SourcePollRecord poll, CancellationToken cancellationToken)
    {
        var (connection, transaction) = (writer.Connection, writer.Transaction);
        var source = (await GetAsync(connection, transaction, id, cancellationToken))!;
        var known = await GetItemStatesAsync(connection, transaction, id, [.. poll.Items.Select(i => i.DedupeKey)], cancellationToken);
        var newPosts = 0;
        var updatedPosts = 0;
        foreach (var item in poll.Items)
        {
            if (!known.TryGetValue(item.DedupeKey, out var state))
            {
                var post = item.Post is null ? null : await writer.CreateAsync(item.Post, id, writer.Now.AddTicks(newPosts), cancellationToken);
                newPosts += post is null ? 0 : 1;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    insert into source_items (source_id, dedupe_key, post_id, content_hash, first_seen_at, summary)
                    values (@SourceId, @DedupeKey, @PostId, @ContentHash, @Now, @Summary)
                    """,
                    new { SourceId = id, item.DedupeKey, PostId = post?.Id, item.ContentHash, writer.Now, Summary = post is null ? null : item.Summary },
                    transaction,
                    cancellationToken: cancellationToken));
                continue;
            }

            if (state.ContentHash == item.ContentHash)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "update source_items set content_hash = @ContentHash, summary = @Summary where source_id = @SourceId and dedupe_key = @DedupeKey",
                new { SourceId = id, item.DedupeKey, item.ContentHash, item.Summary },
                transaction,
                cancellationToken: cancellationToken));
            if (state.PostId is { } postId && item.Post is { } edited
                && await writer.GetAsync(postId, cancellationToken) is { Status: PostStatus.Draft } draft
                && (draft.Url != edited.Url || draft.Title != edited.Title))
            {
                // The author may already be writing commentary or choosing tags: only what came from upstream changes.
                var content = new PostContent(edited.Url, edited.Title, draft.Commentary, draft.Tags, draft.Via, PostStatus.Draft, null);
                updatedPosts += await writer.UpdateAsync(postId, content, cancellationToken) is null ? 0 : 1;
            }
        }

        var fetch = poll.Fetch;
        var feed = poll.Feed;
        var url = feed is not null && await ConflictingIdAsync(writer, feed.Url, exceptId: id, cancellationToken) is null ? feed.Url : source.Url;
        await connection.ExecuteAsync(new CommandDefinition(UpdateFetchState, FetchParameters(id, fetch), transaction, cancellationToken: cancellationToken));
        if (poll.Hub is { } hub)
        {
            await RecordHubAsync(writer, id, hub, cancellationToken);
        }

        if (feed is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update sources set url = @Url, site_url = coalesce(@SiteUrl, site_url), feed_title = coalesce(@FeedTitle, feed_title) where id = @Id",
                new { Id = id, Url = url, feed.SiteUrl, feed.FeedTitle },
                transaction,
                cancellationToken: cancellationToken));
        }

        return new SourceWrite(await GetAsync(connection, transaction, id, cancellationToken), null, newPosts, updatedPosts);
    }

    /// <summary>
    /// A hub newly advertised (or another hub or topic) starts a new subscription, wanted at once; a hub no longer
    /// advertised ends it here, and the old callback answers the hub's pushes with 410 Gone so the hub drops it too.
    /// </summary>
    private static async Task RecordHubAsync(PostWriter writer, long id, SourceHub hub, CancellationToken cancellationToken)
    {
        const string Advertised = """
            update sources
            set hub_url = @Hub, hub_topic = @Topic, push_state = 'wanted', push_reason = null, push_callback_token = null, push_secret = null,
                push_lease_ends_at = null, push_requested_at = null, push_next_at = @Now
            where id = @Id and (hub_url is null or hub_topic is null or hub_url <> @Hub or hub_topic <> @Topic)
            """;
        const string Gone = """
            update sources
            set hub_url = null, hub_topic = null, push_state = null, push_reason = null, push_callback_token = null, push_secret = null,
                push_lease_ends_at = null, push_requested_at = null, push_next_at = null
            where id = @Id and hub_url is not null
            """;
        await writer.Connection.ExecuteAsync(new CommandDefinition(
            hub.Hub is null || hub.Topic is null ? Gone : Advertised,
            new { Id = id, hub.Hub, hub.Topic, writer.Now },
            writer.Transaction,
            cancellationToken: cancellationToken));
    }

    private static object FetchParameters(long id, SourceFetchState fetch) => new
    {
        Id = id,
        fetch.ETag,
        fetch.LastModified,
        fetch.BodySha256,
        fetch.SuggestedIntervalMinutes,
        fetch.SuggestedBy,
        fetch.EffectiveIntervalMinutes,
        fetch.IntervalReason,
        fetch.LastStatus,
        fetch.LastCheckedAt,
        fetch.LastSuccessAt,
        fetch.NextCheckAt,
        fetch.ErrorCount,
        fetch.LastError,
        fetch.Stopped,
        Warnings = fetch.Warnings.Count == 0 ? null : string.Join('\n', fetch.Warnings.Select(w => w.ReplaceLineEndings(" "))),
    };

    private static async Task<long> InsertAsync(PostWriter writer, NewSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = await writer.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "update id_sequences set last_value = last_value + 1 where name = 'sources' returning last_value",
            transaction: writer.Transaction,
            cancellationToken: cancellationToken));
        await writer.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into sources (id, url, site_url, title, feed_title, mode, interval_minutes, interval_chosen, backfill, created_at, updated_at,
                                 etag, last_modified, body_sha256, suggested_interval_minutes, last_status, last_checked_at,
                                 last_success_at, next_check_at, error_count, last_error, stopped)
            values (@Id, @Url, @SiteUrl, @Title, @FeedTitle, @Mode, @IntervalMinutes, @IntervalChosen, @Backfill, @Now, @Now,
                    null, null, null, null, null, null, null, @Now, 0, null, 0)
            """,
            new
            {
                Id = id,
                source.Url,
                source.SiteUrl,
                source.Title,
                source.FeedTitle,
                Mode = source.Mode.ToName(),
                source.IntervalMinutes,
                source.IntervalChosen,
                source.Backfill,
                Now = now,
            },
            writer.Transaction,
            cancellationToken: cancellationToken));
        await ReplaceTagsAsync(writer, id, source.Tags, cancellationToken);
        return id;
    }

    private static async Task ReplaceTagsAsync(PostWriter writer, long id, IReadOnlyList<Tag> tags, CancellationToken cancellationToken)
    {
        await writer.Connection.ExecuteAsync(new CommandDefinition(
            "delete from source_tags where source_id = @Id", new { Id = id }, writer.Transaction, cancellationToken: cancellationToken));
        await writer.Connection.ExecuteAsync(new CommandDefinition(
            "insert into source_tags (source_id, tag_slug, tag_name, position) values (@SourceId, @Slug, @Name, @Position)",
            tags.DistinctBy(t => t.Slug).Select((tag, position) => new { SourceId = id, tag.Slug, tag.Name, Position = position }),
            writer.Transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task<long?> ConflictingIdAsync(PostWriter writer, string url, long? exceptId, CancellationToken cancellationToken) =>
        await writer.Connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "select id from sources where url = @Url and id <> @ExceptId",
            new { Url = url, ExceptId = exceptId ?? 0 },
            writer.Transaction,
            cancellationToken: cancellationToken));

    private static async Task<IReadOnlyDictionary<string, SourceItemState>> GetItemStatesAsync(
        IDbConnection connection, IDbTransaction? transaction, long sourceId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, SourceItemState>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(KeysPerQuery))
        {
            var rows = await connection.QueryAsync<(string DedupeKey, Guid? PostId, string ContentHash)>(new CommandDefinition(
                $"select dedupe_key, post_id, content_hash from source_items where source_id = @SourceId and {SqlDialect.Of(connection).In("dedupe_key", "@Keys")}",
                new { SourceId = sourceId, Keys = chunk },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                states[row.DedupeKey] = new SourceItemState(row.DedupeKey, row.PostId, row.ContentHash);
            }
        }

        return states;
    }

    private static async Task<Source?> GetAsync(IDbConnection connection, IDbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(
            SelectSource + " where id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : (await WithTagsAsync(connection, transaction, [row], cancellationToken))[0];
    }

    internal static async Task<IReadOnlyList<Source>> WithTagsAsync(
        IDbConnection connection, IDbTransaction? transaction, IReadOnlyList<SourceRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var tags = new List<(long SourceId, string Slug, string Name)>();
        foreach (var chunk in rows.Select(r => r.Id).Chunk(KeysPerQuery))
        {
            tags.AddRange(await connection.QueryAsync<(long SourceId, string Slug, string Name)>(new CommandDefinition(
                $"select source_id, tag_slug, tag_name from source_tags where {SqlDialect.Of(connection).In("source_id", "@Ids")} order by source_id, position",
                new { Ids = chunk },
                transaction,
                cancellationToken: cancellationToken)));
        }

        var bySource = tags.ToLookup(t => t.SourceId, t => new Tag(t.Slug, t.Name));
        return [.. rows.Select(r => r.ToSource([.. bySource[r.Id]]))];
    }

    internal sealed class SourceRow
    {
        public long Id { get; init; }
        public string Url { get; init; } = "";
        public string? SiteUrl { get; init; }
        public string? Title { get; init; }
        public string? FeedTitle { get; init; }
        public string Mode { get; init; } = "";
        public long IntervalMinutes { get; init; }
        public bool IntervalChosen { get; init; }
        public bool Backfill { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? ETag { get; init; }
        public string? LastModified { get; init; }
        public string? BodySha256 { get; init; }
        public long? SuggestedIntervalMinutes { get; init; }
        public string? SuggestedBy { get; init; }
        public long? EffectiveIntervalMinutes { get; init; }
        public string? IntervalReason { get; init; }
        public long? LastStatus { get; init; }
        public DateTimeOffset? LastCheckedAt { get; init; }
        public DateTimeOffset? LastSuccessAt { get; init; }
        public DateTimeOffset? NextCheckAt { get; init; }
        public long ErrorCount { get; init; }
        public string? LastError { get; init; }
        public bool Stopped { get; init; }
        public string? Warnings { get; init; }
        public string? Hub { get; init; }
        public string? Topic { get; init; }
        public string? PushState { get; init; }
        public string? PushReason { get; init; }
        public string? CallbackToken { get; init; }
        public string? Secret { get; init; }
        public DateTimeOffset? LeaseEndsAt { get; init; }
        public DateTimeOffset? RequestedAt { get; init; }
        public DateTimeOffset? PushNextAt { get; init; }
        public DateTimeOffset? LastPushAt { get; init; }

        public Source ToSource(IReadOnlyList<Tag> tags) => new()
        {
            Id = Id,
            Url = Url,
            SiteUrl = SiteUrl,
            Title = Title,
            FeedTitle = FeedTitle,
            Tags = tags,
            Mode = SourceModeNames.TryParse(Mode, out var mode) ? mode : throw new InvalidDataException($"source {Id} has unknown mode '{Mode}'"),
            IntervalMinutes = (int)IntervalMinutes,
            IntervalChosen = IntervalChosen,
            Backfill = Backfill,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            Fetch = new SourceFetchState
            {
                ETag = ETag,
                LastModified = LastModified,
                BodySha256 = BodySha256,
                SuggestedIntervalMinutes = (int?)SuggestedIntervalMinutes,
                SuggestedBy = SuggestedBy,
                EffectiveIntervalMinutes = (int?)EffectiveIntervalMinutes,
                IntervalReason = IntervalReason,
                LastStatus = (int?)LastStatus,
                LastCheckedAt = LastCheckedAt,
                LastSuccessAt = LastSuccessAt,
                NextCheckAt = NextCheckAt,
                ErrorCount = (int)ErrorCount,
                LastError = LastError,
                Stopped = Stopped,
                Warnings = Warnings is null ? [] : Warnings.Split('\n'),
            },
            Push = Hub is null || Topic is null || PushState is null ? null : new SourcePush
            {
                Hub = Hub,
                Topic = Topic,
                State = PushStates.Parse(PushState),
                Reason = PushReason,
                CallbackToken = CallbackToken,
                Secret = Secret,
                LeaseEndsAt = LeaseEndsAt,
                RequestedAt = RequestedAt,
                NextAt = PushNextAt,
                LastPushAt = LastPushAt,
            },
        };
    }
}
