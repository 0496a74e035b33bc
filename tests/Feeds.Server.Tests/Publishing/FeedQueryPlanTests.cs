using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// The plan each database makes for a page of a tag's feed, read with its own <c>explain</c>: the newest entries of the
/// tag index, which keeps each tag's published posts in publication order, each post looked up by its key, with no
/// sort, for a rare tag, a tag on every post and a combination of the two alike. The tag's whole range read and sorted
/// (every render of a 750-post tag's feed looked up 750 posts), SQLite walking the status index to probe every post for
/// the tag, and PostgreSQL reading every post into a hash for a few hundred rows are the plans this keeps out.
/// </summary>
public sealed class FeedQueryPlanTests : StoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Tag Common = new("common", "common");
    private static readonly Tag Rare = new("rare", "rare");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = PostStore(new FakeTimeProvider(Now));
        // 2,000 published posts on one common tag; one in a hundred also on the rare tag.
        foreach (var batch in Enumerable.Range(0, 2_000).Chunk(500))
        {
            await store.ImportAsync(
                [.. batch.Select(i => new NewPost(
                    new PostContent($"https://example.com/{i}", $"Post {i}", "", i % 100 == 0 ? [Common, Rare] : [Common], null, PostStatus.Published, null),
                    null, null))],
                cancellationToken);
        }
    }

    public static TheoryData<string[], int> Feeds => new()
    {
        { ["rare"], 20 },
        { ["common"], 51 },
        { ["common", "rare"], 20 },
    };

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task A_tag_s_page_is_the_newest_entries_of_the_tag_index_each_post_looked_up_by_its_key(string[] slugs, int rows)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await Database.OpenAsync(cancellationToken);
        var key = FeedKey.ForTags([.. slugs.Select(s => new Tag(s, s))]);
        var page = await PostQueries.PublishedPageAsync(connection, key, null, 50, cancellationToken);

        var plan = await QueryPlans.ExplainAsync(connection, page, "posts, post_tags, tags");

        if (TestDatabase.IsPostgres)
        {
            Assert.Contains("Index Only Scan Backward using ix_post_tags_tag on post_tags r", plan, StringComparison.Ordinal);
            Assert.Contains("Index Scan using posts_pkey", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Hash Join", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("SEARCH r USING COVERING INDEX ix_post_tags_tag (tag_slug=? AND published_at>?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH p USING INDEX sqlite_autoindex_posts_1 (id=?)", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }

        Assert.Equal(rows, (await connection.QueryAsync(page)).Count());
    }
}
