using System.Data;
using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>
/// Keeps <c>draft_counts</c>, one row per source (0: the author's own drafts) that the drafts queue reads instead of
/// counting, in step with every write of posts: a write adds up what its changes did to each source's live drafts and
/// moves each count once, inside the write's own transaction.
/// </summary>
/// <remarks>
/// Triggers on <c>posts</c> kept these counts until migration 23. A trigger makes SQLite run every insert and update
/// of a post in a savepoint of its own, copying each page the statement changes aside first: an import wrote those
/// copies into a temporary file, two system calls a page, some ten pages a post.
/// </remarks>
internal static class DraftCounts
{
    private const string MoveSql = """
        insert into draft_counts (source_key, drafts) values (@Key, @Drafts)
        on conflict (source_key) do update set drafts = draft_counts.drafts + excluded.drafts
        """;

    public static async Task ApplyAsync(Database database, IReadOnlyList<PostChange> changes, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        // Sorted by source, so that concurrent writes on PostgreSQL take the rows' locks in one order.
        var moves = new SortedDictionary<long, long>();
        foreach (var change in changes)
        {
            if (SourceKey(change.Before) is { } before)
            {
                moves[before] = moves.GetValueOrDefault(before) - 1;
            }

            if (SourceKey(change.After) is { } after)
            {
                moves[after] = moves.GetValueOrDefault(after) + 1;
            }
        }

        foreach (var (key, drafts) in moves)
        {
            if (drafts != 0)
            {
                await database.Prepared(transaction, MoveSql, ("@Key", key), ("@Drafts", drafts)).ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>The key a live draft is counted under; null for any other post, and for none.</summary>
    private static long? SourceKey(Post? post) => post is { Status: PostStatus.Draft } ? post.SourceId ?? 0 : null;
}
