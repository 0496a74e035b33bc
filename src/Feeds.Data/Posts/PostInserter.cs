using System.Data;
using Feeds.Core.Posts;
using Feeds.Core.Text;
using Microsoft.Data.Sqlite;

namespace Feeds.Data.Posts;

/// <summary>
/// The one way new posts get into the database, for a single create and an import batch alike. Made for one write
/// transaction: each statement is prepared the first time it is needed and then only re-bound, and the tags it has
/// resolved are remembered, so a post in a batch of hundreds costs a handful of statement executions.
/// </summary>
internal sealed class PostInserter(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
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

    private const string InsertPostSql = """
        insert into posts (id, slug, link_url, link_title, via_url, via_title, commentary_md, commentary_html,
                           status, publish_at, published_at, sort_at, created_at, updated_at, source_id)
        values (@Id, @Slug, @Url, @Title, @ViaUrl, @ViaTitle, @Commentary, @CommentaryHtml,
                @Status, @PublishAt, @PublishedAt, @SortAt, @CreatedAt, @UpdatedAt, @SourceId)
        """;

    private const string ResolveAliasSql = "select slug from tag_aliases where old_slug = @Slug";

    private const string FindTagSql = "select name from tags where slug = @Slug";

    private const string InsertTagSql = "insert into tags (slug, name, created_at) values (@Slug, @Name, @Now)";

    // Indexed by the number of tags; validated content never has more than PostRules.MaxTags.
    private static readonly string[] LinkTagsSqlByCount = [.. Enumerable.Range(0, PostRules.MaxTags + 1).Select(n =>
        "insert into post_tags (post_id, tag_slug, position) values "
        + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@PostId, @Slug{i}, {i})")))];

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tag> _tags = new(StringComparer.Ordinal);

    /// <summary>The post an idempotency key was first used for, and the hash of that request; null when the key is new.</summary>
    public async Task<(Guid PostId, string RequestHash)?> FindKeyAsync(string key, CancellationToken cancellationToken)
    {
        var command = Command(FindKeySql, "@Key");
        Bind(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Guid.Parse(reader.GetString(0)), reader.GetString(1)) : null;
    }

    public async Task RememberKeyAsync(IdempotencyKey key, Guid postId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = Command(RememberKeySql, "@Key", "@RequestHash", "@PostId", "@Now");
        Bind(command, key.Key, key.RequestHash, postId.ToString("D"), SqliteTypeHandlers.ToText(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records <paramref name="key"/> for the post <paramref name="postId"/> about to be stored, unless the key was used
    /// before: one statement for a new key, where finding and then remembering it would take two.
    /// </summary>
    /// <returns>True when the key was new and is now taken by <paramref name="postId"/>.</returns>
    public async Task<bool> ClaimKeyAsync(IdempotencyKey key, Guid postId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = Command(ClaimKeySql, "@Key", "@RequestHash", "@PostId", "@Now");
        Bind(command, key.Key, key.RequestHash, postId.ToString("D"), SqliteTypeHandlers.ToText(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A new post id, ordered by time like every other.</summary>
    public static Guid NewId(DateTimeOffset now) => Guid.CreateVersion7(now);

    /// <summary>Stores <paramref name="content"/> as a new post (with <paramref name="id"/>, or a new one) and returns it as a read would.</summary>
    public async Task<Post> InsertAsync(
        PostContent content, string commentaryHtml, PostHistory? history, DateTimeOffset now, CancellationToken cancellationToken, Guid? id = null, long? sourceId = null)
    {
        var postId = id ?? NewId(now);
        var slug = await UniqueSlugAsync(Slugs.ForPost(content.Title), cancellationToken);
        var times = NewPostTimes.For(content, history, now);

        var insert = Command(
            InsertPostSql,
            "@Id", "@Slug", "@Url", "@Title", "@ViaUrl", "@ViaTitle", "@Commentary", "@CommentaryHtml",
            "@Status", "@PublishAt", "@PublishedAt", "@SortAt", "@CreatedAt", "@UpdatedAt", "@SourceId");
        Bind(
            insert,
            postId.ToString("D"),
            slug,
            content.Url,
            content.Title,
            content.Via?.Url,
            content.Via?.Title,
            content.Commentary,
            commentaryHtml,
            times.Status.ToName(),
            Text(times.PublishAt),
            Text(times.PublishedAt),
            SqliteTypeHandlers.ToText(times.PublishedAt ?? times.PublishAt ?? times.CreatedAt),
            SqliteTypeHandlers.ToText(times.CreatedAt),
            SqliteTypeHandlers.ToText(times.UpdatedAt),
            sourceId);
        await insert.ExecuteNonQueryAsync(cancellationToken);

        var tags = new List<Tag>(content.Tags.Count);
        foreach (var wanted in content.Tags)
        {
            var tag = await ResolveTagAsync(wanted, now, cancellationToken);
            if (!tags.Exists(t => t.Slug == tag.Slug))
            {
                tags.Add(tag);
            }
        }

        if (tags.Count > 0)
        {
            // One statement for all of a post's tags, prepared once per number of tags.
            var link = LinkTagsCommand(tags.Count);
            var values = new object?[tags.Count + 1];
            values[0] = postId.ToString("D");
            for (var i = 0; i < tags.Count; i++)
            {
                values[i + 1] = tags[i].Slug;
            }

            Bind(link, values);
            await link.ExecuteNonQueryAsync(cancellationToken);
        }

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

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    /// <summary>The stored tag a wanted one becomes: an old slug follows its rename, an existing tag keeps its display name.</summary>
    private async Task<Tag> ResolveTagAsync(Tag wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_tags.TryGetValue(wanted.Slug, out var known))
        {
            return known;
        }

        var alias = Command(ResolveAliasSql, "@Slug");
        Bind(alias, wanted.Slug);
        var slug = await alias.ExecuteScalarAsync(cancellationToken) as string ?? wanted.Slug;

        var find = Command(FindTagSql, "@Slug");
        Bind(find, slug);
        var tag = await find.ExecuteScalarAsync(cancellationToken) is string name ? new Tag(slug, name) : null;
        if (tag is null)
        {
            tag = new Tag(slug, wanted.Name);
            var insert = Command(InsertTagSql, "@Slug", "@Name", "@Now");
            Bind(insert, slug, wanted.Name, SqliteTypeHandlers.ToText(now));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        _tags[wanted.Slug] = tag;
        return tag;
    }

    private async Task<string> UniqueSlugAsync(string slug, CancellationToken cancellationToken)
    {
        var command = Command(TakenSlugsSql, "@Slug", "@High");
        Bind(command, slug, slug + ".");
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(reader.GetString(0));
            }
        }

        if (!taken.Contains(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}-{n}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private SqliteCommand LinkTagsCommand(int count)
    {
        var sql = LinkTagsSqlByCount[count];
        return _commands.TryGetValue(sql, out var command) ? command : Command(sql, ["@PostId", .. Enumerable.Range(0, count).Select(i => $"@Slug{i}")]);
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        _commands[sql] = command;
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static string? Text(DateTimeOffset? value) => value is { } time ? SqliteTypeHandlers.ToText(time) : null;
}

/// <summary>A new post's status and times: from the clock for an ordinary create, from its history for an import.</summary>
internal readonly record struct NewPostTimes(
    PostStatus Status, DateTimeOffset? PublishAt, DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static NewPostTimes For(PostContent content, PostHistory? history, DateTimeOffset now)
    {
        var created = history?.CreatedAt ?? now;
        var state = PublicationState.For(content, previous: null, now);
        var publishedAt = history is null
            ? state.PublishedAt
            : state.Status == PostStatus.Published
                ? content.PublishAt ?? history.PublishedAt ?? history.CreatedAt ?? now
                : history.PublishedAt;
        var updated = history is null ? now : history.UpdatedAt ?? Later(created, publishedAt);
        return new(state.Status, state.PublishAt, publishedAt, created, updated);
    }

    private static DateTimeOffset Later(DateTimeOffset created, DateTimeOffset? published) =>
        published is { } at && at > created ? at : created;
}
