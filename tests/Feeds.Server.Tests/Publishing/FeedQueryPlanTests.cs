using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// The plan each database makes for a page of a rare tag's feed, read with its own <c>explain</c>: the tag's few rows
/// first, each post looked up by its key. Both went wrong once: SQLite, without statistics, walks the status index
/// and probes every post for the tag; PostgreSQL, with statistics, read every post into a hash for a few hundred rows,
/// and without them (hidden by the expression that keeps SQLite off that index) probed every post in a loop.
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

    [Fact]
    public async Task A_rare_tag_s_page_is_read_from_the_tag_s_rows_each_post_looked_up_by_its_key()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await Database.OpenAsync(cancellationToken);
        var page = await PostQueries.PublishedPageAsync(connection, FeedKey.ForTags(Rare), null, 50, cancellationToken);

        var plan = await QueryPlans.ExplainAsync(connection, page, "posts, post_tags, tags");

        if (TestDatabase.IsPostgres)
        {
            Assert.Contains("ix_post_tags_tag", plan, StringComparison.Ordinal);
            Assert.Contains("Index Scan using posts_pkey", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan on posts", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Hash Join", plan, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("SEARCH r USING COVERING INDEX ix_post_tags_tag (tag_slug=?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH p USING INDEX sqlite_autoindex_posts_1 (id=?)", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN p", plan, StringComparison.Ordinal);
        }

        Assert.Equal(20, (await connection.QueryAsync(page)).Count());
    }
}
