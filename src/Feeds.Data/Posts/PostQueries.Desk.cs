using Dapper;
using Feeds.Core.Links;
using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>The author's desk: the drafts queue and earlier posts of a link.</summary>
public sealed partial class PostQueries
{
    /// <summary>How many earlier posts of one link the compose form lists.</summary>
    public const int MaxPostsOfLink = 10;

    // The two shapes of the queue's statement: every draft along (status, sort_at, id), or one source's along the partial
    // index of live drafts (source_id, sort_at, id), which the counts per source read alone; "own" drafts have no source.
    private const string DraftsSql = SelectPost + " p where p.status = 'draft' and p.deleted_at is null";

    private const string DraftsAfterSql = " and (p.sort_at < @AfterSortAt or (p.sort_at = @AfterSortAt and p.id < @AfterId))";

    private const string DraftsOrderSql = " order by p.sort_at desc, p.id desc limit @Take";

    // Without statistics SQLite would read every draft's row through the status index; the partial index of live drafts
    // answers from its own entries, in source order.
    private string DraftCountsSql => $"""
        select source_id as SourceId, count(*) as Count from posts {database.Dialect.IndexedBy("ix_posts_drafts")}
        where status = 'draft' and deleted_at is null
        group by source_id
        """;

    private string SummariesSql => $"select post_id, summary from source_items where {database.Dialect.In("post_id", "@Ids")} and summary is not null";

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
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            sql,
            new { filter.SourceId, AfterSortAt = after?.SortAt, AfterId = after?.Id, Take = limit + 1 },
            cancellationToken: cancellationToken))).AsList();
        var page = await PageOfAsync(connection, rows, limit, cancellationToken);

        var summaries = page.Posts.Any(p => p.SourceId is not null)
            ? (await connection.QueryAsync<(Guid PostId, string Summary)>(new CommandDefinition(
                SummariesSql,
                new { Ids = page.Posts.Where(p => p.SourceId is not null).Select(p => p.Id.ToString("D")).ToArray() },
                cancellationToken: cancellationToken))).ToDictionary(s => s.PostId, s => s.Summary)
            : [];
        return new DraftPage([.. page.Posts.Select(p => new QueuedDraft(p, summaries.GetValueOrDefault(p.Id)))], page.Next);
    }

    /// <summary>How many drafts wait, per source (the author's own under a null source).</summary>
    public async Task<IReadOnlyList<DraftCount>> CountDraftsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<DraftCount>(new CommandDefinition(DraftCountsSql, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// The posts (of any status) of the link <paramref name="url"/> in its normal form (<see cref="LinkUrls"/>), newest
    /// first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Post>> ListPostsOfLinkAsync(string url, CancellationToken cancellationToken, int limit = MaxPostsOfLink)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            PostsOfLinkSql, new { Key = LinkUrls.Normalize(url), Take = limit }, cancellationToken: cancellationToken))).AsList();
        return await WithTagsAsync(connection, null, rows, cancellationToken);
    }
}
