using System.Data;
using System.Globalization;
using System.Text;
using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Text;
using Feeds.Data.Tags;

namespace Feeds.Data.Posts;

/// <summary>Link posts and their tags. Every write runs the registered <see cref="IPostChangeHook"/>s in its transaction.</summary>
public sealed class PostStore(Database database, CommentaryRenderer renderer, PostChangeHooks hooks, TimeProvider clock)
{
    private const string SelectPost = """
        select id as Id, slug as Slug, link_url as Url, link_title as Title, via_url as ViaUrl, via_title as ViaTitle,
               commentary_md as Commentary, commentary_html as CommentaryHtml, status as Status,
               publish_at as PublishAt, published_at as PublishedAt, sort_at as SortAt,
               created_at as CreatedAt, updated_at as UpdatedAt, source_id as SourceId
        from posts
        """;

    /// <summary>Below this many posts a tag's page is read from the tag index and sorted: a millisecond or two at most.</summary>
    private const int TagDrivenMaxPosts = 5_000;

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
        var sql = new StringBuilder(SelectPost).Append(" p where p.deleted_at is null");
        if (query.Statuses.Count > 0)
        {
            sql.Append(" and p.status in @Statuses");
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

        if (query.After is not null)
        {
            sql.Append(" and (p.sort_at < @AfterSortAt or (p.sort_at = @AfterSortAt and p.id < @AfterId))");
        }

        sql.Append(" order by p.sort_at desc, p.id desc limit @Take");

        var limit = Math.Clamp(query.Limit, 1, PostQuery.MaxLimit);
        await using var connection = await database.OpenAsync(cancellationToken);
        parameters.AddDynamicParams(new
        {
            Statuses = query.Statuses.Select(s => s.ToName()).ToArray(),
            query.TagSlug,
            query.SourceId,
            AfterSortAt = query.After?.SortAt,
            AfterId = query.After?.Id,
            Take = limit + 1,
        });
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();

        return await PageOfAsync(connection, rows, limit, cancellationToken);
    }

    /// <summary>
    /// Published posts carrying every one of <paramref name="tagSlugs"/> (all posts when empty), newest publication
    /// first, older than <paramref name="before"/>. Driven from the tag index when the rarest of the tags has few posts,
    /// so a rare tag never scans every post; a tag on many posts is read along the publication index instead, which
    /// finds a page of them long before it has sorted them all.
    /// </summary>
    public async Task<PostPage> ListPublishedAsync(
        IReadOnlyList<string> tagSlugs, PostCursor? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rarest = await RarestTagAsync(connection, tagSlugs, cancellationToken);
        StringBuilder sql;
        DynamicParameters parameters;
        if (rarest is { Posts: <= TagDrivenMaxPosts })
        {
            // Without statistics SQLite would walk the status index and probe each post for the tag; "status || ''" keeps
            // it off that index (portably), so the plan starts from the rare tag's rows and sorts only those.
            parameters = new DynamicParameters();
            parameters.Add("Rare", rarest.Value.Slug);
            sql = new StringBuilder(SelectPost.Replace("from posts", "from post_tags r join posts p on p.id = r.post_id", StringComparison.Ordinal));
            sql.Append(" where r.tag_slug = @Rare and p.status || '' = 'published' and p.deleted_at is null");
            var others = tagSlugs.Where(t => t != rarest.Value.Slug).ToList();
            for (var i = 0; i < others.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $" and exists (select 1 from post_tags t{i} where t{i}.post_id = p.id and t{i}.tag_slug = @Tag{i})");
                parameters.Add($"Tag{i}", others[i]);
            }
        }
        else
        {
            var (joins, tagParameters) = TagJoins(tagSlugs);
            parameters = tagParameters;
            sql = new StringBuilder(SelectPost.Replace("from posts", "from posts p", StringComparison.Ordinal)).Append(joins);
            sql.Append(" where p.status = 'published' and p.deleted_at is null");
        }

        if (before is not null)
        {
            sql.Append(" and (p.sort_at < @BeforeSortAt or (p.sort_at = @BeforeSortAt and p.id < @BeforeId))");
            parameters.Add("BeforeSortAt", before.SortAt);
            parameters.Add("BeforeId", before.Id);
        }

        sql.Append(" order by p.sort_at desc, p.id desc limit @Take");
        parameters.Add("Take", limit + 1);

        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
        return await PageOfAsync(connection, rows, limit, cancellationToken);
    }

    /// <summary>The tag of <paramref name="tagSlugs"/> with the fewest posts (of any status), counted on the tag index; null without tags.</summary>
    private static async Task<(string Slug, long Posts)?> RarestTagAsync(IDbConnection connection, IReadOnlyList<string> tagSlugs, CancellationToken cancellationToken)
    {
        (string Slug, long Posts)? rarest = null;
        foreach (var slug in tagSlugs)
        {
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select count(*) from post_tags where tag_slug = @slug", new { slug }, cancellationToken: cancellationToken));
            if (rarest is null || count < rarest.Value.Posts)
            {
                rarest = (slug, count);
            }
        }

        return rarest;
    }

    /// <summary>Published posts of <paramref name="tagSlugs"/> first published in [<paramref name="from"/>, <paramref name="until"/>), newest first.</summary>
    public async Task<IReadOnlyList<Post>> ListPublishedBetweenAsync(
        IReadOnlyList<string> tagSlugs, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var (joins, parameters) = TagJoins(tagSlugs);
        parameters.Add("From", from);
        parameters.Add("Until", until);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PostRow>(new CommandDefinition(
            SelectPost.Replace("from posts", "from posts p", StringComparison.Ordinal) + joins
            + " where p.status = 'published' and p.deleted_at is null and p.published_at >= @From and p.published_at < @Until order by p.published_at desc, p.id desc",
            parameters,
            cancellationToken: cancellationToken))).AsList();
        return await WithTagsAsync(connection, null, rows, cancellationToken);
    }

    /// <summary>The months (first day, UTC) in which posts of <paramref name="tagSlugs"/> were first published, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> ListPublishedMonthsAsync(IReadOnlyList<string> tagSlugs, CancellationToken cancellationToken)
    {
        var (joins, parameters) = TagJoins(tagSlugs);
        await using var connection = await database.OpenAsync(cancellationToken);
        var months = await connection.QueryAsync<string>(new CommandDefinition(
            "select distinct substr(p.published_at, 1, 7) as month from posts p" + joins
            + " where p.status = 'published' and p.deleted_at is null order by month",
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
        return new PostPage(posts, hasMore ? new PostCursor(SqliteTypeHandlers.ParseTime(rows[^1].SortAt), rows[^1].Id) : null);
    }

    private static (string Joins, DynamicParameters Parameters) TagJoins(IReadOnlyList<string> tagSlugs)
    {
        var joins = new StringBuilder();
        var parameters = new DynamicParameters();
        for (var i = 0; i < tagSlugs.Count; i++)
        {
            joins.Append($" join post_tags t{i} on t{i}.post_id = p.id and t{i}.tag_slug = @Tag{i}");
            parameters.Add($"Tag{i}", tagSlugs[i]);
        }

        return (joins.ToString(), parameters);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction in which it creates and updates posts through the
    /// <see cref="PostWriter"/> and may write rows of its own. The hooks see every post change inside the
    /// transaction and after its commit; nothing is stored unless all of it is.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<PostWriter, Task<T>> work, CancellationToken cancellationToken)
    {
        PostWriter? writer = null;
        var result = await database.WriteAsync(async (connection, transaction) =>
        {
            writer = new PostWriter(database, renderer, connection, transaction, clock.GetUtcNow());
            var value = await work(writer);
            await hooks.RunAsync(writer.Changes, connection, transaction, cancellationToken);
            return value;
        }, cancellationToken);

        hooks.AfterCommit(writer!.Changes);
        return result;
    }

    /// <summary>Stores a new post. With an idempotency key already used, stores nothing and reports the first post.</summary>
    public async Task<CreateOutcome> CreateAsync(PostContent content, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        // Rendered before the write queue: the commentary needs nothing from the database.
        var html = renderer.Render(content.Commentary);
        return await WriteAsync(async writer =>
        {
            if (idempotencyKey is not null && await writer.Inserter.FindKeyAsync(idempotencyKey.Key, cancellationToken) is { } first)
            {
                var post = await writer.GetAsync(first.PostId, cancellationToken);
                return first.RequestHash == idempotencyKey.RequestHash
                    ? new CreateOutcome(post, CreateOutcomeKind.Replayed)
                    : new CreateOutcome(post, CreateOutcomeKind.KeyReusedWithDifferentRequest);
            }

            var created = await writer.CreateAsync(content, sourceId: null, at: null, cancellationToken, html);
            if (idempotencyKey is not null)
            {
                await writer.Inserter.RememberKeyAsync(idempotencyKey, created.Id, writer.Now, cancellationToken);
            }

            return new CreateOutcome(created, CreateOutcomeKind.Created);
        }, cancellationToken);
    }

    /// <summary>
    /// Stores a batch of imported posts in one transaction: all of them or, on any failure, none. A post is not stored
    /// again when a post with its id is already here, or else when its import key was seen before (in an earlier batch or
    /// earlier in this one); that post is reported instead, even if it has since been deleted, so running an import
    /// again never brings anything back. A slug given for a post to be stored must be free: when any is taken, nothing
    /// is stored and the result names those posts, since renumbering a given slug would break the permalink it keeps.
    /// The changes reach the hooks once, together, marked <see cref="PostChange.Imported"/>.
    /// </summary>
    public async Task<ImportResult> ImportAsync(IReadOnlyList<NewPost> posts, CancellationToken cancellationToken)
    {
        // Rendering is most of the work outside the write and needs nothing shared, so a batch spreads it over the cores.
        var html = new string[posts.Count];
        Parallel.For(0, posts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => html[i] = renderer.Render(posts[i].Content.Commentary));

        try
        {
            return await WriteAsync(async writer =>
            {
                // A slug made from a title must not take one that a later post of the batch brings with it.
                writer.Inserter.Reserve(posts.Select(p => p.Slug).OfType<string>());
                var results = new List<ImportOutcome>(posts.Count);
                var taken = new List<int>();
                for (var i = 0; i < posts.Count; i++)
                {
                    if (await writer.ImportAsync(posts[i], html[i], cancellationToken) is { } outcome)
                    {
                        results.Add(outcome);
                    }
                    else
                    {
                        taken.Add(i);
                    }
                }

                // Throwing is how a write takes back what it wrote: the batch is all or nothing.
                return taken.Count == 0 ? new ImportResult(results, []) : throw new SlugsTakenException(taken);
            }, cancellationToken);
        }
        catch (SlugsTakenException e)
        {
            return new ImportResult([], e.Positions);
        }
    }

    /// <summary>Replaces a post's content; null when there is no such post.</summary>
    public Task<Post?> UpdateAsync(Guid id, PostContent content, CancellationToken cancellationToken) =>
        WriteAsync(writer => writer.UpdateAsync(id, content, cancellationToken), cancellationToken);

    /// <summary>Deletes a post; false when there is no such post. The row stays as a tombstone so its slug is never reused.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var changes = new List<PostChange>(1);
        var deleted = await database.WriteAsync(async (connection, transaction) =>
        {
            var before = await GetAsync(connection, transaction, id, cancellationToken);
            if (before is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "update posts set deleted_at = @Now, updated_at = @Now where id = @Id",
                new { Id = id, Now = clock.GetUtcNow() },
                transaction,
                cancellationToken: cancellationToken));
            changes.Add(new PostChange(before, null));
            await hooks.RunAsync(changes, connection, transaction, cancellationToken);
            return true;
        }, cancellationToken);

        hooks.AfterCommit(changes);
        return deleted;
    }

    /// <summary>Publishes every scheduled post whose time has come.</summary>
    public async Task<IReadOnlyList<Post>> PublishDueAsync(CancellationToken cancellationToken)
    {
        var changes = new List<PostChange>();
        await database.WriteAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var due = await connection.QueryAsync<Guid>(new CommandDefinition(
                "select id from posts where status = 'scheduled' and deleted_at is null and publish_at <= @Now order by publish_at",
                new { Now = now },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var id in due)
            {
                var before = (await GetAsync(connection, transaction, id, cancellationToken))!;
                var publishedAt = before.PublishedAt ?? before.PublishAt ?? now;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update posts set status = 'published', publish_at = null, published_at = @PublishedAt, sort_at = @SortAt, updated_at = @Now
                    where id = @Id
                    """,
                    new { Id = id, PublishedAt = publishedAt, SortAt = SqliteTypeHandlers.ToText(publishedAt), Now = now },
                    transaction,
                    cancellationToken: cancellationToken));
                changes.Add(new PostChange(before, await GetAsync(connection, transaction, id, cancellationToken)));
            }

            await hooks.RunAsync(changes, connection, transaction, cancellationToken);
        }, cancellationToken);

        hooks.AfterCommit(changes);
        return [.. changes.Select(c => c.After!)];
    }

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

        var tags = (await connection.QueryAsync<(Guid PostId, string Slug, string Name)>(new CommandDefinition(
                """
                select pt.post_id, t.slug, t.name
                from post_tags pt join tags t on t.slug = pt.tag_slug
                where pt.post_id in @Ids
                order by pt.post_id, pt.position
                """,
                new { Ids = rows.Select(r => r.Id.ToString("D")).ToArray() },
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

/// <summary>
/// Post writes inside one transaction of <see cref="PostStore.WriteAsync{T}"/>. Every change is collected so the
/// store can run the hooks (dirty feeds, webhook outbox, scheduling) for all of them in the same transaction.
/// </summary>
public sealed class PostWriter
{
    private readonly Database _database;
    private readonly CommentaryRenderer _renderer;
    private PostInserter? _inserter;

    internal PostWriter(Database database, CommentaryRenderer renderer, IDbConnection connection, IDbTransaction transaction, DateTimeOffset now)
    {
        _database = database;
        _renderer = renderer;
        Connection = connection;
        Transaction = transaction;
        Now = now;
    }

    public IDbConnection Connection { get; }

    public IDbTransaction Transaction { get; }

    /// <summary>The time every write of this transaction is stamped with.</summary>
    public DateTimeOffset Now { get; }

    internal List<PostChange> Changes { get; } = [];

    /// <summary>What stores new posts, made on first use and kept for the transaction.</summary>
    internal PostInserter Inserter => _inserter ??= new PostInserter(_database, Transaction);

    public Task<Post?> GetAsync(Guid id, CancellationToken cancellationToken) => PostStore.GetAsync(Connection, Transaction, id, cancellationToken);

    /// <param name="sourceId">The followed source the post was made from, if any.</param>
    /// <param name="at">Its creation time when not <see cref="Now"/>: posts made together are told apart by ticks, so they keep an order.</param>
    /// <param name="commentaryHtml">The commentary already rendered, when the caller rendered it outside the transaction.</param>
    public async Task<Post> CreateAsync(PostContent content, long? sourceId, DateTimeOffset? at, CancellationToken cancellationToken, string? commentaryHtml = null)
    {
        var created = await Inserter.InsertAsync(
            content, commentaryHtml ?? _renderer.Render(content.Commentary), history: null, at ?? Now, cancellationToken, sourceId: sourceId);
        Changes.Add(new PostChange(null, created));
        return created;
    }

    /// <summary>
    /// Stores an imported post unless a post with its id is already here or its import key was seen before, in which
    /// case it reports that post. The id is asked first: it names the post itself, where a key names the import that
    /// brought it, which may have given it another id (a file imported before ids were kept).
    /// </summary>
    /// <returns>What became of the post; null when the slug it brings is another post's, and it was not stored.</returns>
    internal async Task<ImportOutcome?> ImportAsync(NewPost post, string commentaryHtml, CancellationToken cancellationToken)
    {
        if (post.Id is { } given && await Inserter.IdExistsAsync(given, cancellationToken))
        {
            return new ImportOutcome(given, Created: false);
        }

        var id = post.Id ?? PostInserter.NewId(Now);
        if (post.ImportKey is not null && !await Inserter.ClaimKeyAsync(post.ImportKey, id, Now, cancellationToken))
        {
            var earlier = await Inserter.FindKeyAsync(post.ImportKey.Key, cancellationToken);
            return new ImportOutcome(earlier!.Value.PostId, Created: false);
        }

        if (post.Slug is { } slug && await Inserter.SlugExistsAsync(slug, cancellationToken))
        {
            return null;
        }

        var created = await Inserter.InsertAsync(post.Content, commentaryHtml, post.History, Now, cancellationToken, id, slug: post.Slug);
        Changes.Add(new PostChange(null, created) { Imported = true });
        return new ImportOutcome(created.Id, Created: true);
    }

    /// <summary>Replaces a post's content; null when there is no such post.</summary>
    public async Task<Post?> UpdateAsync(Guid id, PostContent content, CancellationToken cancellationToken)
    {
        var before = await GetAsync(id, cancellationToken);
        if (before is null)
        {
            return null;
        }

        var state = PublicationState.For(content, before, Now);
        await Connection.ExecuteAsync(new CommandDefinition(
            """
            update posts
            set link_url = @Url, link_title = @Title, via_url = @ViaUrl, via_title = @ViaTitle,
                commentary_md = @Commentary, commentary_html = @CommentaryHtml, status = @Status,
                publish_at = @PublishAt, published_at = @PublishedAt, sort_at = @SortAt, updated_at = @Now
            where id = @Id
            """,
            new
            {
                Id = id,
                content.Url,
                content.Title,
                ViaUrl = content.Via?.Url,
                ViaTitle = content.Via?.Title,
                content.Commentary,
                CommentaryHtml = _renderer.Render(content.Commentary),
                Status = state.Status.ToName(),
                state.PublishAt,
                state.PublishedAt,
                SortAt = SqliteTypeHandlers.ToText(state.PublishedAt ?? state.PublishAt ?? before.CreatedAt),
                Now,
            },
            Transaction,
            cancellationToken: cancellationToken));
        await Inserter.ReplaceTagsAsync(id, content.Tags, Now, cancellationToken);

        var after = await GetAsync(id, cancellationToken);
        Changes.Add(new PostChange(before, after));
        return after;
    }
}

public sealed record IdempotencyKey(string Key, string RequestHash);

public enum CreateOutcomeKind
{
    Created,
    Replayed,
    KeyReusedWithDifferentRequest,
}

public sealed record CreateOutcome(Post? Post, CreateOutcomeKind Kind);

/// <summary>A post to import: validated content, the times it keeps, and the key that makes importing it again a no-op.</summary>
public sealed record NewPost(PostContent Content, PostHistory? History, IdempotencyKey? ImportKey)
{
    /// <summary>The id it had on the site it comes from, kept so its feed entry id stays the same; null for a new one.</summary>
    public Guid? Id { get; init; }

    /// <summary>
    /// The slug it had there (one <see cref="Contracts.Text.Slugs.IsPostSlug"/> accepts), kept as it is so its permalink
    /// stays the same; null to make one from the title.
    /// </summary>
    public string? Slug { get; init; }
}

/// <summary>What became of one imported post: stored now, or already there from an earlier import.</summary>
public sealed record ImportOutcome(Guid Id, bool Created);

/// <summary>
/// What an import batch did: each post's outcome, in order; or, when slugs the batch brings are other posts' already,
/// the positions of the posts that bring them, and nothing stored.
/// </summary>
public sealed record ImportResult(IReadOnlyList<ImportOutcome> Outcomes, IReadOnlyList<int> TakenSlugs);

/// <summary>Takes back a batch whose given slugs are taken; never leaves <see cref="PostStore.ImportAsync"/>.</summary>
internal sealed class SlugsTakenException(IReadOnlyList<int> positions) : Exception("Slugs given for an import are taken.")
{
    public IReadOnlyList<int> Positions { get; } = positions;
}

/// <summary>How a write moves a post between draft, scheduled and published, keeping its first publication time.</summary>
internal readonly record struct PublicationState(PostStatus Status, DateTimeOffset? PublishAt, DateTimeOffset? PublishedAt)
{
    public static PublicationState For(PostContent content, Post? previous, DateTimeOffset now) => content.Status switch
    {
        PostStatus.Draft => new(PostStatus.Draft, null, previous?.PublishedAt),
        PostStatus.Scheduled => new(PostStatus.Scheduled, content.PublishAt, previous?.PublishedAt),
        _ => new(PostStatus.Published, null, content.PublishAt ?? previous?.PublishedAt ?? now),
    };
}
