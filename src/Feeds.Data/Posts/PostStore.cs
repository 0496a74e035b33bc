using System.Data;
using Dapper;
using Feeds.Core.Links;
using Feeds.Core.Posts;
using Feeds.Core.Text;

namespace Feeds.Data.Posts;

/// <summary>
/// Writes of link posts and their tags. Every write runs the registered <see cref="IPostChangeHook"/>s in its
/// transaction, holding the tags shared with the others (<see cref="SqlDialect.ShareTagsSql"/>), so that a tag's rename
/// or merge comes before it or after it, never between. The reads are <see cref="PostQueries"/>'.
/// </summary>
public sealed class PostStore(Database database, CommentaryRenderer renderer, PostChangeHooks hooks, TimeProvider clock)
{
    private const int LinkKeyBatchSize = 1_000;

    /// <summary>How many other posts of its link a create reports at most.</summary>
    private const int MaxOtherPostsOfLink = PostQuery.MaxLimit;

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
            if (database.Dialect.ShareTagsSql is { } share)
            {
                // With the write's first statement: every look-up of tags is a prepared statement, which sends it first.
                await database.ExecuteLaterAsync(transaction, share, cancellationToken);
            }

            writer = new PostWriter(database, renderer, connection, transaction, clock.GetUtcNow());
            var value = await work(writer);
            await hooks.RunAsync(writer.Changes, connection, transaction, cancellationToken);
            return value;
        }, cancellationToken);

        hooks.AfterCommit(writer!.Changes);
        return result;
    }

    /// <summary>
    /// Stores a new post, and reports the other posts of its link. With an idempotency key already used, stores nothing and
    /// reports the first post.
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(PostContent content, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        // Rendered before the write queue: the commentary needs nothing from the database.
        var html = renderer.Render(content.Commentary);
        return await WriteAsync(async writer =>
        {
            if (idempotencyKey is not null && await writer.Inserter.FindKeyAsync(idempotencyKey.Key, cancellationToken) is { } first)
            {
                var post = await writer.GetAsync(first.PostId, cancellationToken);
                return first.RequestHash != idempotencyKey.RequestHash
                    ? new CreateOutcome(post, CreateOutcomeKind.KeyReusedWithDifferentRequest, [])
                    : new CreateOutcome(
                        post, CreateOutcomeKind.Replayed, post is null ? [] : await writer.OtherPostsOfLinkAsync(post, MaxOtherPostsOfLink, cancellationToken));
            }

            var (freeSlug, linkPostedBefore) = await writer.Inserter.FindSlugAndLinkAsync(content, cancellationToken);
            var created = await writer.CreateAsync(content, sourceId: null, at: null, cancellationToken, html, freeSlug);
            if (idempotencyKey is not null)
            {
                await writer.Inserter.RememberKeyAsync(idempotencyKey, created.Id, writer.Now, cancellationToken);
            }

            return new CreateOutcome(
                created, CreateOutcomeKind.Created, linkPostedBefore ? await writer.OtherPostsOfLinkAsync(created, MaxOtherPostsOfLink, cancellationToken) : []);
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
            changes.Clear();
            await ShareTagsAsync(connection, transaction, cancellationToken);
            var before = await PostQueries.GetAsync(connection, transaction, id, cancellationToken);
            if (before is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "update posts set deleted_at = @Now, updated_at = @Now where id = @Id; " + PostInserter.UnpublishLinksSql,
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
            changes.Clear();
            await ShareTagsAsync(connection, transaction, cancellationToken);
            var now = clock.GetUtcNow();
            var due = await connection.QueryAsync<Guid>(new CommandDefinition(
                "select id from posts where status = 'scheduled' and deleted_at is null and publish_at <= @Now order by publish_at",
                new { Now = now },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var id in due)
            {
                var before = (await PostQueries.GetAsync(connection, transaction, id, cancellationToken))!;
                var publishedAt = before.PublishedAt ?? before.PublishAt ?? now;
                // Still scheduled when the row is ours: a concurrent run (another node, an edit) that got there first
                // published it, or changed it, and this run leaves it alone, so a post is published once.
                var published = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update posts set status = 'published', publish_at = null, published_at = @PublishedAt, sort_at = @SortAt, updated_at = @Now
                    where id = @Id and status = 'scheduled' and deleted_at is null
                    """,
                    new { Id = id, PublishedAt = publishedAt, SortAt = StoredValues.ToText(publishedAt), Now = now },
                    transaction,
                    cancellationToken: cancellationToken));
                if (published == 0)
                {
                    continue;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    PostInserter.PublishLinksSql, new { Id = id, PublishedAt = publishedAt }, transaction, cancellationToken: cancellationToken));

                changes.Add(new PostChange(before, await PostQueries.GetAsync(connection, transaction, id, cancellationToken)));
            }

            await hooks.RunAsync(changes, connection, transaction, cancellationToken);
        }, cancellationToken);

        hooks.AfterCommit(changes);
        return [.. changes.Select(c => c.After!)];
    }

    /// <summary>
    /// Holds the tags shared (<see cref="SqlDialect.ShareTagsSql"/>) at once, for a write whose statements go through
    /// the connection: the links whose publication time it sets are then not being moved by a rename.
    /// </summary>
    private Task ShareTagsAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
        database.Dialect.ShareTagsSql is { } share
            ? connection.ExecuteAsync(new CommandDefinition(share, transaction: transaction, cancellationToken: cancellationToken))
            : Task.CompletedTask;

    /// <summary>
    /// Puts the link of every post stored before links were kept in normal form into it, and the site it links to
    /// (<see cref="LinkSites"/>) of every post stored before sites were kept, a batch per write so that writers wait at
    /// most for one batch. Returns how many posts it changed.
    /// </summary>
    public async Task<int> FillLinkKeysAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var filled = await database.WriteAsync(async (connection, transaction) =>
            {
                var missing = (await connection.QueryAsync<(Guid Id, string Url)>(new CommandDefinition(
                    "select id, link_url from posts where link_key is null or link_site is null limit @Take", new { Take = LinkKeyBatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
                foreach (var (id, url) in missing)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "update posts set link_key = @Key, link_site = @Site where id = @Id", new { Id = id, Key = LinkUrls.Normalize(url), Site = LinkSites.Of(url) }, transaction, cancellationToken: cancellationToken));
                }

                return missing.Count;
            }, cancellationToken);
            total += filled;
            if (filled < LinkKeyBatchSize)
            {
                return total;
            }
        }
    }
}
