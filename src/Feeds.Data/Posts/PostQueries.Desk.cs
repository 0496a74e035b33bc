using System.Data;
using Dapper;
using Feeds.Core.Links;
using Feeds.Core.Posts;
using Feeds.Data.Sources;

namespace Feeds.Data.Posts;

/// <summary>The author's desk: the drafts queue and earlier posts of a link.</summary>
public sealed partial class PostQueries
{
    /// <summary>How many earlier posts of one link the compose form lists.</summary>
    public const int MaxPostsOfLink = 10;

    // The two shapes of the queue's statement: every draft along (status, sort_at, id), or one source's along the partial
    // index of live drafts (source_id, sort_at, id); "own" drafts have no source.
    // Only what the queue shows is read, the item's summary beside each draft in the same statement: no tags, no HTML.
    private const string DraftsSql = """
        select p.id as Id, p.link_url as Url, p.link_title as Title, p.commentary_md as Commentary,
               p.created_at as CreatedAt, p.source_id as SourceId, p.sort_at as SortAt,
               case when p.source_id is null then null
                    else (select si.summary from source_items si where si.post_id = p.id and si.summary is not null limit 1)
               end as Summary
        from posts p where p.status = 'draft' and p.deleted_at is null
        """;

    private const string DraftsAfterSql = " and (p.sort_at < @AfterSortAt or (p.sort_at = @AfterSortAt and p.id < @AfterId))";

    private const string DraftsOrderSql = " order by p.sort_at desc, p.id desc limit @Take";

    // The counts are kept per source as drafts are written (migration 19; source 0 is the author's own), so reading them
    // is a few rows whatever the number of drafts. Each source's name comes with its count.
    private const string DraftCountsSql = """
        select c.source_key as SourceKey, c.drafts as Count, s.title as Title, s.feed_title as FeedTitle, s.url as SourceUrl
        from draft_counts c left join sources s on s.id = c.source_key
        where c.drafts > 0
        """;

    private const string PostsOfLinkSql = SelectPost + " where link_key = @Key and deleted_at is null order by sort_at desc, id desc limit @Take";

    /// <summary>A page of drafts, newest first, each with its item's summary when a source made it.</summary>
    public async Task<DraftPage> ListDraftsAsync(DraftFilter filter, PostCursor? after, int limit, CancellationToken cancellationToken)
    {
        var sql = DraftsSql
            + (filter.OwnOnly ? " and p.source_id is null" : filter.SourceId is null ? "" : " and p.source_id = @SourceId")
            + (after is null ? "" : DraftsAfterSql)
            + DraftsOrderSql;
        limit = Math.Clamp(limit, 1, PostQuery.MaxLimit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DraftRow>(new CommandDefinition(
            sql,
            new { filter.SourceId, AfterSortAt = after?.SortAt, AfterId = after?.Id, Take = limit + 1 },
            cancellationToken: cancellationToken))).AsList();

        // The extra row only tells that another page follows.
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new DraftPage(
            [.. rows.Select(r => new QueuedDraft(r.Id, r.Url, r.Title, r.Commentary, r.CreatedAt, r.SourceId, r.Summary))],
            hasMore ? new PostCursor(StoredValues.ParseTime(rows[^1].SortAt), rows[^1].Id) : null);
    }

    /// <summary>How many drafts wait, per source (the author's own under a null source), with each source's name.</summary>
    public async Task<IReadOnlyList<DraftCount>> CountDraftsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DraftCountRow>(new CommandDefinition(DraftCountsSql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DraftCount
        {
            SourceId = r.SourceKey == 0 ? null : r.SourceKey,
            Count = r.Count,
            SourceName = r.SourceUrl is null ? null : Source.NameOf(r.Title, r.FeedTitle, r.SourceUrl),
        })];
    }

    /// <summary>
    /// The posts (of any status) of the link <paramref name="url"/> in its normal form (<see cref="LinkUrls"/>), newest
    /// first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Post>> ListPostsOfLinkAsync(string url, CancellationToken cancellationToken, int limit = MaxPostsOfLink)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListPostsOfLinkAsync(connection, null, url, limit, cancellationToken);
    }

    /// <summary>As <see cref="ListPostsOfLinkAsync(string, CancellationToken, int)"/>, inside a transaction of the caller's.</summary>
    internal static async Task<IReadOnlyList<Post>> ListPostsOfLinkAsync(
        IDbConnection connection, IDbTransaction? transaction, string url, int limit, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            PostsOfLinkSql, new { Key = LinkUrls.Normalize(url), Take = limit }, transaction, cancellationToken: cancellationToken))).AsList();
        return await WithTagsAsync(connection, transaction, rows, cancellationToken);
    }

    private sealed class DraftRow
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string Title { get; init; } = "";
        public string Commentary { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public long? SourceId { get; init; }
        public string SortAt { get; init; } = "";
        public string? Summary { get; init; }
    }

    private sealed class DraftCountRow
    {
        public long SourceKey { get; init; }
        public long Count { get; init; }
        public string? Title { get; init; }
        public string? FeedTitle { get; init; }
        public string? SourceUrl { get; init; }
    }
}
