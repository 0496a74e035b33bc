using System.Data;
using Dapper;
using Feeds.Core.Links;
using Feeds.Core.Posts;
using Feeds.Core.Text;

namespace Feeds.Data.Posts;

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

    public Task<Post?> GetAsync(Guid id, CancellationToken cancellationToken) => PostQueries.GetAsync(Connection, Transaction, id, cancellationToken);

    /// <summary>
    /// The other live posts of <paramref name="post"/>'s link, newest first, at most <paramref name="limit"/>. A link
    /// posted for the first time, as most are, costs one look-up in the link index.
    /// </summary>
    public async Task<IReadOnlyList<Post>> OtherPostsOfLinkAsync(Post post, int limit, CancellationToken cancellationToken)
    {
        if (!await Inserter.OtherPostOfLinkExistsAsync(post, cancellationToken))
        {
            return [];
        }

        var posts = await PostQueries.ListPostsOfLinkAsync(Connection, Transaction, post.Url, limit + 1, cancellationToken);
        return [.. posts.Where(p => p.Id != post.Id).Take(limit)];
    }

    /// <param name="sourceId">The followed source the post was made from, if any.</param>
    /// <param name="at">Its creation time when not <see cref="Now"/>: posts made together are told apart by ticks, so they keep an order.</param>
    /// <param name="commentaryHtml">The commentary already rendered, when the caller rendered it outside the transaction.</param>
    /// <param name="slug">The slug its title makes, when the caller has found it free in this transaction.</param>
    public async Task<Post> CreateAsync(
        PostContent content, long? sourceId, DateTimeOffset? at, CancellationToken cancellationToken, string? commentaryHtml = null, string? slug = null)
    {
        var created = await Inserter.InsertAsync(
            content, commentaryHtml ?? _renderer.Render(content.Commentary), history: null, at ?? Now, cancellationToken, sourceId: sourceId, slug: slug);
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
            set link_url = @Url, link_key = @LinkKey, link_site = @LinkSite, link_title = @Title, via_url = @ViaUrl, via_title = @ViaTitle,
                commentary_md = @Commentary, commentary_html = @CommentaryHtml, status = @Status,
                publish_at = @PublishAt, published_at = @PublishedAt, sort_at = @SortAt, updated_at = @Now
            where id = @Id
            """,
            new
            {
                Id = id,
                content.Url,
                LinkKey = LinkUrls.Normalize(content.Url),
                LinkSite = LinkSites.Of(content.Url),
                content.Title,
                ViaUrl = content.Via?.Url,
                ViaTitle = content.Via?.Title,
                content.Commentary,
                CommentaryHtml = _renderer.Render(content.Commentary),
                Status = state.Status.ToName(),
                state.PublishAt,
                state.PublishedAt,
                SortAt = StoredValues.ToText(state.PublishedAt ?? state.PublishAt ?? before.CreatedAt),
                Now,
            },
            Transaction,
            cancellationToken: cancellationToken));
        await Inserter.ReplaceTagsAsync(id, content.Tags, PostInserter.LinkedPublishedAt(state.Status, state.PublishedAt), Now, cancellationToken);

        var after = await GetAsync(id, cancellationToken);
        Changes.Add(new PostChange(before, after));
        return after;
    }
}
