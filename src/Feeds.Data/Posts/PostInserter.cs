using System.Data;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Text;
using Feeds.Core.Links;
using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>
/// The one way new posts get into the database, for a single create and an import batch alike, and the one way a post's
/// tags are linked, for a create and an edit alike. Made for one write
/// transaction: its statements are the writer connection's prepared ones (<see cref="Database.Prepared"/>), and the
/// tags it has resolved are remembered, so a post in a batch of hundreds costs a handful of statement executions.
/// </summary>
internal sealed class PostInserter(Database database, IDbTransaction transaction)
{
    private const string FindKeySql = "select post_id, request_hash from idempotency_keys where idempotency_key = @Key";

    private const string RememberKeySql = """
        insert into idempotency_keys (idempotency_key, request_hash, post_id, created_at) values (@Key, @RequestHash, @PostId, @Now)
        """;

    private const string ClaimKeySql = """
        insert into idempotency_keys (idempotency_key, request_hash, post_id, created_at) values (@Key, @RequestHash, @PostId, @Now)
        on conflict (idempotency_key) do nothing
        """;

    // Slugs hold letters, digits and hyphens, so [slug, slug + ".") is exactly the slug and every "slug-…" ('.' follows
    // '-'): one range on the unique index on slug.
    private const string TakenSlugsSql = "select slug from posts where slug >= @Slug and slug < @High";

    // Deleted posts count: their rows stay as tombstones, keeping their ids and slugs from being used again.
    private const string IdExistsSql = "select exists (select 1 from posts where id = @Id)";

    private const string SlugExistsSql = "select exists (select 1 from posts where slug = @Slug)";

    private const string OtherPostOfLinkSql = "select exists (select 1 from posts where link_key = @Key and id <> @Id and deleted_at is null)";

    // Asked before a create's insert: whether its slug is taken and its link posted, in one round trip.
    private const string SlugAndLinkSql = """
        select exists (select 1 from posts where slug = @Slug) as slug_taken,
               exists (select 1 from posts where link_key = @Key and deleted_at is null) as link_posted
        """;

    // The same on PostgreSQL, with a row for each wanted tag (@Slugs): the stored tag it is, following its rename, or
    // null where there is none yet.
    private const string SlugLinkAndTagsSql = $"""
        select s.slug_taken, s.link_posted, w.slug, t.slug, t.name
        from ({SlugAndLinkSql}) s
        left join (unnest(@Slugs) with ordinality as w (slug, position)
                   left join tag_aliases a on a.old_slug = w.slug
                   left join tags t on t.slug = coalesce(a.slug, w.slug)) on true
        order by w.position
        """;

    private const string InsertPostSql = """
        insert into posts (id, slug, link_url, link_title, via_url, via_title, commentary_md, commentary_html,
                           status, publish_at, published_at, sort_at, created_at, updated_at, source_id, link_key, link_site)
        values (@Id, @Slug, @Url, @Title, @ViaUrl, @ViaTitle, @Commentary, @CommentaryHtml,
                @Status, @PublishAt, @PublishedAt, @SortAt, @CreatedAt, @UpdatedAt, @SourceId, @LinkKey, @LinkSite)
        """;

    private const string ResolveAliasSql = "select slug from tag_aliases where old_slug = @Slug";

    private const string FindTagSql = "select name from tags where slug = @Slug";

    private const string InsertTagSql = "insert into tags (slug, name, created_at) values (@Slug, @Name, @Now)";

    private const string UnlinkTagsSql = "delete from post_tags where post_id = @PostId";

    // PostgreSQL: all of a post's tags in one statement, a round trip where one per tag would each take one. The wanted
    // slugs follow their renames, the ones not stored yet are created, the post is linked to each once in the order first
    // wanted, and the stored tag each wanted one became is returned in the order given. A tag a concurrent write created
    // after this statement began is not in its snapshot: its name comes back null and is read again.
    private const string ResolveAndLinkTagsSql = """
        with wanted as (
            select coalesce(a.slug, w.slug) as slug, w.name, w.position
            from unnest(@Slugs, @Names) with ordinality as w (slug, name, position)
            left join tag_aliases a on a.old_slug = w.slug
        ),
        created as (
            insert into tags (slug, name, created_at)
            select distinct on (slug) slug, name, @Now from wanted order by slug, position
            on conflict (slug) do nothing
            returning slug, name
        ),
        linked as (
            insert into post_tags (post_id, tag_slug, position, published_at)
            select @PostId, slug, row_number() over (order by first_position) - 1, cast(@PublishedAt as text)
            from (select slug, min(position) as first_position from wanted group by slug) distinct_tags
        )
        select w.slug, coalesce(c.name, t.name)
        from wanted w
        left join created c on c.slug = w.slug
        left join tags t on t.slug = w.slug
        order by w.position
        """;

    // Indexed by the number of tags; validated content never has more than PostLimits.MaxTags.
    private static readonly string[] LinkTagsSqlByCount = [.. Enumerable.Range(0, PostLimits.MaxTags + 1).Select(n =>
        "insert into post_tags (post_id, tag_slug, position, published_at) values "
        + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@PostId, @Slug{i}, {i}, @PublishedAt)")))];

    private static readonly string[] SlugParameters = [.. Enumerable.Range(0, PostLimits.MaxTags).Select(i => $"@Slug{i}")];

    private readonly Dictionary<string, Tag> _tags = new(StringComparer.Ordinal);

    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the post stored next may leave its statements queued for later (<see cref="Database.ExecuteLaterAsync"/>):
    /// its caller looked it up first (<see cref="FindSlugAndLinkAsync"/>) and reads nothing of it through the connection
    /// itself before the transaction's next prepared statement or its commit.
    /// </summary>
    private bool _insertMayWait;

    /// <summary>The post an idempotency key was first used for, and the hash of that request; null when the key is new.</summary>
    public async Task<(Guid PostId, string RequestHash)?> FindKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var reader = await database.Prepared(transaction, FindKeySql, ("@Key", key)).ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Guid.Parse(reader.GetString(0)), reader.GetString(1)) : null;
    }

    public Task RememberKeyAsync(IdempotencyKey key, Guid postId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteLaterAsync(transaction, RememberKeySql, cancellationToken, ("@Key", key.Key), ("@RequestHash", key.RequestHash), ("@PostId", postId), ("@Now", now));

    /// <summary>
    /// Records <paramref name="key"/> for the post <paramref name="postId"/> about to be stored, unless the key was used
    /// before: one statement for a new key, where finding and then remembering it would take two.
    /// </summary>
    /// <returns>True when the key was new and is now taken by <paramref name="postId"/>.</returns>
    public async Task<bool> ClaimKeyAsync(IdempotencyKey key, Guid postId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.Prepared(transaction, ClaimKeySql, ("@Key", key.Key), ("@RequestHash", key.RequestHash), ("@PostId", postId), ("@Now", now))
            .ExecuteNonQueryAsync(cancellationToken) == 1;

    /// <summary>A new post id, ordered by time like every other.</summary>
    public static Guid NewId(DateTimeOffset now) => Guid.CreateVersion7(now);

    /// <summary>Whether a post, deleted or not, has the id <paramref name="id"/>.</summary>
    public async Task<bool> IdExistsAsync(Guid id, CancellationToken cancellationToken) =>
        Convert.ToBoolean(await database.Prepared(transaction, IdExistsSql, ("@Id", id)).ExecuteScalarAsync(cancellationToken));

    /// <summary>Whether a post, deleted or not, has the slug <paramref name="slug"/>.</summary>
    public async Task<bool> SlugExistsAsync(string slug, CancellationToken cancellationToken) =>
        Convert.ToBoolean(await database.Prepared(transaction, SlugExistsSql, ("@Slug", slug)).ExecuteScalarAsync(cancellationToken));

    /// <summary>Whether a live post other than <paramref name="post"/> links where it does (compared in normal form, <see cref="LinkUrls"/>).</summary>
    public async Task<bool> OtherPostOfLinkExistsAsync(Post post, CancellationToken cancellationToken) =>
        Convert.ToBoolean(await database.Prepared(transaction, OtherPostOfLinkSql, ("@Key", LinkUrls.Normalize(post.Url)), ("@Id", post.Id))
            .ExecuteScalarAsync(cancellationToken));

    /// <summary>
    /// Before <paramref name="content"/> is stored: the slug its title makes when no post has it (for
    /// <see cref="InsertAsync"/> to take without asking again), and whether a live post already links where it does
    /// (compared in normal form). One statement: a link posted for the first time, as most are, costs a create no round
    /// trip of its own. On PostgreSQL the statement also finds the stored tags the content's tags are; when all of them
    /// are stored, <see cref="InsertAsync"/> links them without reading. The post's statements then go with the
    /// transaction's next prepared statement or its commit, so a create is two round trips, this one and the commit: the
    /// caller reads nothing of the post through the connection itself (Dapper) before either.
    /// </summary>
    public async Task<(string? FreeSlug, bool LinkPosted)> FindSlugAndLinkAsync(PostContent content, CancellationToken cancellationToken)
    {
        var slug = Slugs.ForPost(content.Title);
        var key = LinkUrls.Normalize(content.Url);
        var withTags = database.Dialect.BindsArrays && content.Tags.Count > 0;
        await using var reader = withTags
            ? await database.Prepared(transaction, SlugLinkAndTagsSql, ("@Slug", slug), ("@Key", key), ("@Slugs", content.Tags.Select(t => t.Slug).ToArray()))
                .ExecuteReaderAsync(cancellationToken)
            : await database.Prepared(transaction, SlugAndLinkSql, ("@Slug", slug), ("@Key", key)).ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var found = (Convert.ToBoolean(reader.GetValue(0)) ? null : slug, Convert.ToBoolean(reader.GetValue(1)));
        _insertMayWait = true;
        if (withTags)
        {
            // Remembered as ResolveTagAsync would: no rename or merge can move a tag before the commit, since this
            // write holds the tags shared from before this look-up (PostStore).
            do
            {
                if (!reader.IsDBNull(3))
                {
                    _tags[reader.GetString(2)] = new Tag(reader.GetString(3), reader.GetString(4));
                }
            }
            while (await reader.ReadAsync(cancellationToken));
        }

        return found;
    }

    /// <summary>Keeps <paramref name="slugs"/> out of the slugs made from titles for the rest of the transaction.</summary>
    public void Reserve(IEnumerable<string> slugs) => _reserved.UnionWith(slugs);

    /// <summary>
    /// Stores <paramref name="content"/> as a new post (with <paramref name="id"/>, or a new one) and returns it as a read
    /// would. Its slug is <paramref name="slug"/>, which the caller has found free, or else one made from the title.
    /// </summary>
    public async Task<Post> InsertAsync(
        PostContent content, string commentaryHtml, PostHistory? history, DateTimeOffset now, CancellationToken cancellationToken,
        Guid? id = null, long? sourceId = null, string? slug = null)
    {
        var postId = id ?? NewId(now);
        slug ??= await UniqueSlugAsync(Slugs.ForPost(content.Title), cancellationToken);
        var times = NewPostTimes.For(content, history, now);

        (string, object?)[] values =
        [
            ("@Id", postId),
            ("@Slug", slug),
            ("@Url", content.Url),
            ("@LinkKey", LinkUrls.Normalize(content.Url)),
            ("@LinkSite", LinkSites.Of(content.Url)),
            ("@Title", content.Title),
            ("@ViaUrl", content.Via?.Url),
            ("@ViaTitle", content.Via?.Title),
            ("@Commentary", content.Commentary),
            ("@CommentaryHtml", commentaryHtml),
            ("@Status", times.Status.ToName()),
            ("@PublishAt", times.PublishAt),
            ("@PublishedAt", times.PublishedAt),
            ("@SortAt", times.PublishedAt ?? times.PublishAt ?? times.CreatedAt),
            ("@CreatedAt", times.CreatedAt),
            ("@UpdatedAt", times.UpdatedAt),
            ("@SourceId", sourceId),
        ];

        // Left queued only where nothing reads the post through the connection itself (Dapper) before it reaches the
        // database: with tags, the statement that links them takes it along, or waits with it after a look-up; and a
        // caller that looked the post up first (FindSlugAndLinkAsync) reads nothing of it before its next prepared statement.
        if (content.Tags.Count > 0 || _insertMayWait)
        {
            await database.ExecuteLaterAsync(transaction, InsertPostSql, cancellationToken, values);
        }
        else
        {
            await database.Prepared(transaction, InsertPostSql, values).ExecuteNonQueryAsync(cancellationToken);
        }

        var tags = await LinkTagsAsync(postId, content.Tags, LinkedPublishedAt(times.Status, times.PublishedAt), now, cancellationToken);

        return new Post
        {
            Id = postId,
            Slug = slug,
            Url = content.Url,
            Title = content.Title,
            Via = content.Via,
            Commentary = content.Commentary,
            CommentaryHtml = commentaryHtml,
            Tags = tags,
            Status = times.Status,
            PublishAt = times.PublishAt,
            PublishedAt = times.PublishedAt,
            CreatedAt = times.CreatedAt,
            UpdatedAt = times.UpdatedAt,
            SourceId = sourceId,
        };
    }

    /// <summary>
    /// What a post's links to its tags keep of its publication (<c>post_tags.published_at</c>, the key of the tag index):
    /// its publication time, by which published posts sort, while it is published and not deleted; null otherwise. A
    /// tag's feed page is then one range of the index, newest first, however many posts carry the tag. Every write that
    /// publishes, unpublishes or deletes a post sets it; <see cref="UnpublishLinksSql"/> and <see cref="PublishLinksSql"/>
    /// are the writes that do not link tags again.
    /// </summary>
    public static DateTimeOffset? LinkedPublishedAt(PostStatus status, DateTimeOffset? publishedAt) =>
        status == PostStatus.Published ? publishedAt : null;

    /// <summary>A deleted post's links, out of its tags' published posts.</summary>
    public const string UnpublishLinksSql = "update post_tags set published_at = null where post_id = @Id";

    /// <summary>A post just published (at <c>@PublishedAt</c>) without a change of tags: its links, into its tags' published posts.</summary>
    public const string PublishLinksSql = "update post_tags set published_at = @PublishedAt where post_id = @Id";

    /// <summary>
    /// Makes <paramref name="tags"/> the tags of the stored post <paramref name="postId"/>, in their order;
    /// <paramref name="publishedAt"/> is the post's <see cref="LinkedPublishedAt"/>.
    /// </summary>
    public async Task<IReadOnlyList<Tag>> ReplaceTagsAsync(
        Guid postId, IReadOnlyList<Tag> tags, DateTimeOffset? publishedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (tags.Count > 0)
        {
            await database.ExecuteLaterAsync(transaction, UnlinkTagsSql, cancellationToken, ("@PostId", postId));
        }
        else
        {
            await database.Prepared(transaction, UnlinkTagsSql, ("@PostId", postId)).ExecuteNonQueryAsync(cancellationToken);
        }

        return await LinkTagsAsync(postId, tags, publishedAt, now, cancellationToken);
    }

    /// <summary>
    /// Links a post without tags to the stored tags the wanted ones become (<see cref="ResolveTagAsync"/>), each once, in
    /// the order given, creating the ones that do not exist yet; returns them. On PostgreSQL one statement does it all
    /// (<see cref="ResolveAndLinkTagsSql"/>), unless every wanted tag was found stored before.
    /// </summary>
    private async Task<IReadOnlyList<Tag>> LinkTagsAsync(
        Guid postId, IReadOnlyList<Tag> wanted, DateTimeOffset? publishedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (wanted.Count == 0)
        {
            return [];
        }

        if (database.Dialect.BindsArrays && !wanted.All(t => _tags.ContainsKey(t.Slug)))
        {
            return await ResolveAndLinkTagsAsync(postId, wanted, publishedAt, now, cancellationToken);
        }

        var tags = new List<Tag>(wanted.Count);
        foreach (var one in wanted)
        {
            var tag = await ResolveTagAsync(one, now, cancellationToken);
            if (!tags.Exists(t => t.Slug == tag.Slug))
            {
                tags.Add(tag);
            }
        }

        if (tags.Count > 0)
        {
            // One statement for all of a post's tags, one per number of tags.
            var parameters = new (string, object?)[tags.Count + 2];
            parameters[0] = ("@PostId", postId);
            parameters[1] = ("@PublishedAt", publishedAt);
            for (var i = 0; i < tags.Count; i++)
            {
                parameters[i + 2] = (SlugParameters[i], tags[i].Slug);
            }

            // On PostgreSQL it waits with the post's statements, which reach here only where they may (every tag was
            // found stored before); SQLite runs it at once.
            await database.ExecuteLaterAsync(transaction, LinkTagsSqlByCount[tags.Count], cancellationToken, parameters);
        }

        return tags;
    }

    /// <summary><see cref="LinkTagsAsync"/> in one statement (<see cref="ResolveAndLinkTagsSql"/>), where the engine takes arrays.</summary>
    private async Task<IReadOnlyList<Tag>> ResolveAndLinkTagsAsync(
        Guid postId, IReadOnlyList<Tag> wanted, DateTimeOffset? publishedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resolved = new List<(string Slug, string? Name)>(wanted.Count);
        await using (var reader = await database.Prepared(
            transaction,
            ResolveAndLinkTagsSql,
            ("@Slugs", wanted.Select(t => t.Slug).ToArray()),
            ("@Names", wanted.Select(t => t.Name).ToArray()),
            ("@Now", now),
            ("@PostId", postId),
            ("@PublishedAt", publishedAt)).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var slug = reader.GetString(0);
                if (!resolved.Exists(t => t.Slug == slug))
                {
                    resolved.Add((slug, reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }
        }

        var tags = new List<Tag>(resolved.Count);
        foreach (var (slug, name) in resolved)
        {
            tags.Add(new Tag(slug, name ?? (string)(await database.Prepared(transaction, FindTagSql, ("@Slug", slug)).ExecuteScalarAsync(cancellationToken))!));
        }

        return tags;
    }

    /// <summary>The stored tag a wanted one becomes: an old slug follows its rename, an existing tag keeps its display name.</summary>
    private async Task<Tag> ResolveTagAsync(Tag wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_tags.TryGetValue(wanted.Slug, out var known))
        {
            return known;
        }

        var slug = await database.Prepared(transaction, ResolveAliasSql, ("@Slug", wanted.Slug)).ExecuteScalarAsync(cancellationToken) as string ?? wanted.Slug;
        var name = await database.Prepared(transaction, FindTagSql, ("@Slug", slug)).ExecuteScalarAsync(cancellationToken) as string;
        if (name is null)
        {
            name = wanted.Name;
            await database.Prepared(transaction, InsertTagSql, ("@Slug", slug), ("@Name", name), ("@Now", now)).ExecuteNonQueryAsync(cancellationToken);
        }

        return _tags[wanted.Slug] = new Tag(slug, name);
    }

    /// <summary>
    /// <paramref name="slug"/> when no post has it, else the first of <c>slug-2</c>, <c>slug-3</c>… that is free. Most
    /// titles are new, and their slug is taken without waiting for anyone: should a concurrent write store the same
    /// one first, this write's insert fails on the unique index and runs again, finding it taken. A slug found taken is
    /// held (<see cref="SqlDialect.HoldKeySql"/>) and the taken ones read again, so that writes numbering one title go
    /// one after another instead of colliding over the same number.
    /// </summary>
    private async Task<string> UniqueSlugAsync(string slug, CancellationToken cancellationToken)
    {
        // Most titles make a slug of their own: one lookup of it.
        if (!_reserved.Contains(slug) && !await SlugExistsAsync(slug, cancellationToken))
        {
            return slug;
        }

        if (database.Dialect.HoldKeySql is { } hold)
        {
            await using (await database.Prepared(transaction, hold, ("@Key", slug)).ExecuteReaderAsync(cancellationToken))
            {
            }
        }

        var taken = await TakenSlugsAsync(slug, cancellationToken);
        if (!taken.Contains(slug) && !_reserved.Contains(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}-{n}";
            if (!taken.Contains(candidate) && !_reserved.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>The stored slugs that are <paramref name="slug"/> or a numbered form of it.</summary>
    private async Task<HashSet<string>> TakenSlugsAsync(string slug, CancellationToken cancellationToken)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await database.Prepared(transaction, TakenSlugsSql, ("@Slug", slug), ("@High", slug + ".")).ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            taken.Add(reader.GetString(0));
        }

        return taken;
    }
}
