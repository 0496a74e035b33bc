using System.Data;
using System.Globalization;
using System.Text;
using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;

namespace Feeds.Data.Posts;

/// <summary>
/// Reads of link posts: single posts, API lists, feed pages and archive months. The writes are <see cref="PostStore"/>'s.
/// </summary>
public sealed partial class PostQueries(Database database)
{
    private const string PostColumns = """
        p.id as Id, p.slug as Slug, p.link_url as Url, p.link_title as Title, p.via_url as ViaUrl, p.via_title as ViaTitle,
        p.commentary_md as Commentary, p.commentary_html as CommentaryHtml, p.status as Status,
        p.publish_at as PublishAt, p.published_at as PublishedAt, p.sort_at as SortAt,
        p.created_at as CreatedAt, p.updated_at as UpdatedAt, p.source_id as SourceId
        """;

    private const string SelectPost = "select " + PostColumns + " from posts p";

    /// <summary>How far the tags of a combination are counted to find the rarest, which its feed is read along.</summary>
    private const int RarestCountLimit = 5_000;

    public async Task<Post?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    public async Task<Post?> GetBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PostRow>(new CommandDefinition(
            SelectPost + " where slug = @slug and deleted_at is null", new { slug }, cancellationToken: cancellationToken));
        return row is null ? null : (await WithTagsAsync(connection, null, [row], cancellationToken))[0];
    }

    public async Task<PostPage> ListAsync(PostQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PostRow>(ListStatement(database.Dialect, query, cancellationToken))).AsList();
        return await PageOfAsync(connection, rows, Math.Clamp(query.Limit, 1, PostQuery.MaxLimit), cancellationToken);
    }

    /// <summary>The statement <see cref="ListAsync"/> runs for <paramref name="query"/> (one row more than its limit).</summary>
    internal static CommandDefinition ListStatement(SqlDialect dialect, PostQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(SelectPost).Append(" where p.deleted_at is null");
        if (query.Statuses.Count > 0)
        {
            sql.Append(" and ").Append(dialect.In("p.status", "@Statuses"));
        }

        if (query.TagSlug is not null)
        {
            sql.Append(" and exists (select 1 from post_tags pt where pt.post_id = p.id and pt.tag_slug = @TagSlug)");
        }

        // One parameter per position keeps the SQL text to one shape per count of tags, so Dapper's cache stays small.
        var parameters = new DynamicParameters();
        for (var i = 0; i < query.AllTagSlugs.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" and exists (select 1 from post_tags pt where pt.post_id = p.id and pt.tag_slug = @AllTag{i})");
            parameters.Add($"AllTag{i}", query.AllTagSlugs[i]);
        }

        if (query.SourceId is not null)
        {
            sql.Append(" and p.source_id = @SourceId");
        }

        if (query.Site is not null)
        {
            sql.Append(" and p.link_site = @Site");
        }

        if (query.SortFrom is not null)
        {
            sql.Append(" and p.sort_at >= @SortFrom");
        }

        if (query.SortUntil is not null)
        {
            sql.Append(" and p.sort_at < @SortUntil");
        }

        if (query.After is not null)
        {
            sql.Append(" and (p.sort_at < @AfterSortAt or (p.sort_at = @AfterSortAt and p.id < @AfterId))");
        }

        sql.Append(" order by p.sort_at desc, p.id desc limit @Take");

        parameters.AddDynamicParams(new
        {
            Statuses = query.Statuses.Select(s => s.ToName()).ToArray(),
            query.TagSlug,
            query.SourceId,
            query.Site,
            query.SortFrom,
            query.SortUntil,
            AfterSortAt = query.After?.SortAt,
            AfterId = query.After?.Id,
            Take = Math.Clamp(query.Limit, 1, PostQuery.MaxLimit) + 1,
        });
        return new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken);
    }

    /// <summary>The live posts of <paramref name="ids"/>, in that order.</summary>
    public async Task<IReadOnlyList<Post>> ListByIdsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListByIdsAsync(connection, null, ids, cancellationToken);
    }

    /// <summary>The live posts of <paramref name="ids"/>, in that order, read in <paramref name="transaction"/>.</summary>
    internal static async Task<IReadOnlyList<Post>> ListByIdsAsync(
        IDbConnection connection, IDbTransaction? transaction, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            SelectPost + $" where {SqlDialect.Of(connection).In("id", "@Ids")} and deleted_at is null",
            new { Ids = ids.Select(id => id.ToString("D")).ToArray() },
            transaction,
            cancellationToken: cancellationToken))).ToDictionary(r => r.Id);
        return await WithTagsAsync(connection, transaction, [.. ids.Where(rows.ContainsKey).Select(id => rows[id])], cancellationToken);
    }

    /// <summary>
    /// The published posts of the feed <paramref name="key"/> (every post, those carrying all of its tags, or those
    /// linking to its site), newest publication first, older than <paramref name="before"/>. A tag's feed is read along
    /// the tag index, which keeps each tag's published posts in publication order (<c>post_tags.published_at</c>): the
    /// newest entries of the tag with the fewest posts, each post looked up by its key and, for a combination, checked
    /// for the other tags. A site's posts are read along the site index, every post along the publication index.
    /// </summary>
    public async Task<PostPage> ListPublishedAsync(FeedKey key, PostCursor? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PostRow>(await PublishedPageAsync(connection, key, before, limit, cancellationToken))).AsList();
        return await PageOfAsync(connection, rows, limit, cancellationToken);
    }

    /// <summary>The statement <see cref="ListPublishedAsync"/> runs for a page (one row more than <paramref name="limit"/>), its plan chosen as described there.</summary>
    internal static async Task<CommandDefinition> PublishedPageAsync(
        IDbConnection connection, FeedKey key, PostCursor? before, int limit, CancellationToken cancellationToken)
    {
        var tagSlugs = SlugsOf(key);
        var parameters = new DynamicParameters();
        StringBuilder sql;
        string sortAt = "p.sort_at", id = "p.id";
        if (key.Site is { } site)
        {
            parameters.Add("Site", site);
            sql = new StringBuilder(SelectPost);
            sql.Append(" where p.link_site = @Site and p.status = 'published' and p.deleted_at is null");
        }
        else if (tagSlugs.Length > 0)
        {
            var driving = tagSlugs.Length == 1 ? tagSlugs[0] : await RarestTagAsync(connection, tagSlugs, cancellationToken);
            parameters.Add("Tag", driving);
            sql = new StringBuilder($"select {PostColumns} from post_tags r {SqlDialect.Of(connection).JoinPostsById("p", "r.post_id")}");
            sql.Append(" where r.tag_slug = @Tag and r.published_at is not null");
            // Each of a combination's other tags is a look-up of the post's link to it, in the order of the driving
            // tag's entries, ending with the page: an offset keeps PostgreSQL from making the check a join, which reads
            // every link of the other tag, as common as it may be, and sorts what matches.
            var others = tagSlugs.Where(t => t != driving).ToList();
            for (var i = 0; i < others.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $" and exists (select 1 from post_tags t{i} where t{i}.post_id = r.post_id and t{i}.tag_slug = @Tag{i} limit 1 offset 0)");
                parameters.Add($"Tag{i}", others[i]);
            }

            (sortAt, id) = ("r.published_at", "r.post_id");
        }
        else
        {
            sql = new StringBuilder(SelectPost);
            sql.Append(" where p.status = 'published' and p.deleted_at is null");
        }

        if (before is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" and ({sortAt} < @BeforeSortAt or ({sortAt} = @BeforeSortAt and {id} < @BeforeId))");
            parameters.Add("BeforeSortAt", before.SortAt);
            parameters.Add("BeforeId", before.Id);
        }

        sql.Append(CultureInfo.InvariantCulture, $" order by {sortAt} desc, {id} desc limit @Take");
        parameters.Add("Take", limit + 1);
        return new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The tag of <paramref name="tagSlugs"/> on the fewest published posts, each counted on the tag index up to
    /// <see cref="RarestCountLimit"/>: past that, a tag is common enough that the page is found long before its range is.
    /// </summary>
    private static async Task<string> RarestTagAsync(IDbConnection connection, IReadOnlyList<string> tagSlugs, CancellationToken cancellationToken)
    {
        (string Slug, long Posts)? rarest = null;
        foreach (var slug in tagSlugs)
        {
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"select count(*) from (select 1 from post_tags where tag_slug = @slug and published_at is not null limit {RarestCountLimit}) tagged",
                new { slug }, cancellationToken: cancellationToken));
            if (rarest is null || count < rarest.Value.Posts)
            {
                rarest = (slug, count);
            }
        }

        return rarest!.Value.Slug;
    }

    /// <summary>Published posts of the feed <paramref name="key"/> first published in [<paramref name="from"/>, <paramref name="until"/>), newest first.</summary>
    public async Task<IReadOnlyList<Post>> ListPublishedBetweenAsync(
        FeedKey key, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var (joins, conditions, parameters) = Filter(key);
        parameters.Add("From", from);
        parameters.Add("Until", until);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            SelectPost + joins
            + " where p.status = 'published' and p.deleted_at is null and p.published_at >= @From and p.published_at < @Until" + conditions
            + " order by p.published_at desc, p.id desc",
            parameters,
            cancellationToken: cancellationToken))).AsList();
        return await WithTagsAsync(connection, null, rows, cancellationToken);
    }

    /// <summary>The months (first day, UTC) in which posts of the feed <paramref name="key"/> were first published, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> ListPublishedMonthsAsync(FeedKey key, CancellationToken cancellationToken)
    {
        var (joins, conditions, parameters) = Filter(key);
        await using var connection = await database.OpenAsync(cancellationToken);
        var months = await connection.QueryAsync<string>(new CommandDefinition(
            "select distinct substr(p.published_at, 1, 7) as month from posts p" + joins
            + " where p.status = 'published' and p.deleted_at is null" + conditions + " order by month",
            parameters,
            cancellationToken: cancellationToken));
        return [.. months.Select(m => DateOnly.ParseExact(m + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>A page from rows fetched with one extra: the extra row only tells that another page follows.</summary>
    private static async Task<PostPage> PageOfAsync(IDbConnection connection, List<PostRow> rows, int limit, CancellationToken cancellationToken)
    {
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var posts = await WithTagsAsync(connection, null, rows, cancellationToken);
        return new PostPage(posts, hasMore ? new PostCursor(StoredValues.ParseTime(rows[^1].SortAt), rows[^1].Id) : null);
    }

    /// <summary>What narrows the posts <c>p</c> to those of <paramref name="key"/>: a join per tag, and a condition on the site.</summary>
    private static (string Joins, string Conditions, DynamicParameters Parameters) Filter(FeedKey key)
    {
        var joins = new StringBuilder();
        var parameters = new DynamicParameters();
        var conditions = "";
        if (key.Site is { } site)
        {
            conditions = " and p.link_site = @Site";
            parameters.Add("Site", site);
        }

        var tagSlugs = SlugsOf(key);
        for (var i = 0; i < tagSlugs.Length; i++)
        {
            joins.Append(CultureInfo.InvariantCulture, $" join post_tags t{i} on t{i}.post_id = p.id and t{i}.tag_slug = @Tag{i}");
            parameters.Add($"Tag{i}", tagSlugs[i]);
        }

        return (joins.ToString(), conditions, parameters);
    }

    private static string[] SlugsOf(FeedKey key) => [.. key.Tags.Select(t => t.Slug)];

    /// <summary>Every scheduled post's id and time, so triggers can be re-created after a restart.</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset PublishAt)>> ListScheduledAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid, DateTimeOffset)>(new CommandDefinition(
            "select id, publish_at from posts where status = 'scheduled' and deleted_at is null",
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    internal static async Task<Post?> GetAsync(IDbConnection connection, IDbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PostRow>(new CommandDefinition(
            SelectPost + " where id = @id and deleted_at is null", new { id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : (await WithTagsAsync(connection, transaction, [row], cancellationToken))[0];
    }

    private static async Task<IReadOnlyList<Post>> WithTagsAsync(
        IDbConnection connection, IDbTransaction? transaction, IReadOnlyList<PostRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        // One post's tags by its id alone: a statement whose plan PostgreSQL keeps, where a list's would be planned again
        // on every run.
        var ids = rows.Select(r => r.Id.ToString("D")).ToArray();
        var tags = (await connection.QueryAsync<(Guid PostId, string Slug, string Name)>(new CommandDefinition(
                $"""
                select pt.post_id, t.slug, t.name
                from post_tags pt join tags t on t.slug = pt.tag_slug
                where {(ids.Length == 1 ? "pt.post_id = @Id" : SqlDialect.Of(connection).In("pt.post_id", "@Ids"))}
                order by pt.post_id, pt.position
                """,
                new { Id = ids[0], Ids = ids },
                transaction,
                cancellationToken: cancellationToken)))
            .ToLookup(t => t.PostId, t => new Tag(t.Slug, t.Name));

        return [.. rows.Select(r => r.ToPost([.. tags[r.Id]]))];
    }

    private sealed class PostRow
    {
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Url { get; init; } = "";
        public string Title { get; init; } = "";
        public string? ViaUrl { get; init; }
        public string? ViaTitle { get; init; }
        public string Commentary { get; init; } = "";
        public string CommentaryHtml { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset? PublishAt { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
        public string SortAt { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long? SourceId { get; init; }

        public Post ToPost(IReadOnlyList<Tag> tags) => new()
        {
            Id = Id,
            Slug = Slug,
            Url = Url,
            Title = Title,
            Via = ViaUrl is null ? null : new Via(ViaUrl, ViaTitle),
            Commentary = Commentary,
            CommentaryHtml = CommentaryHtml,
            Tags = tags,
            Status = PostStatusNames.TryParse(Status, out var status) ? status : throw new InvalidDataException($"post {Id} has unknown status '{Status}'"),
            PublishAt = PublishAt,
            PublishedAt = PublishedAt,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            SourceId = SourceId,
        };
    }
}
