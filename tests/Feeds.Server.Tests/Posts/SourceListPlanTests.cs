using Dapper;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// A source's posts (<c>GET /api/posts?sourceId=</c>) are read along the index by source, which holds only posts that
/// have one: the author's own posts, most of a site, cost no entry in it when they are written.
/// </summary>
public sealed class SourceListPlanTests : StoreTests
{
    private const long SourceId = 7;

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = PostStore(new FakeTimeProvider(Now));
        foreach (var batch in Enumerable.Range(0, 2_000).Chunk(500))
        {
            await store.ImportAsync([.. batch.Select(i => new NewPost(Content($"own/{i}"), null, null))], cancellationToken);
        }

        await store.WriteAsync(async writer =>
        {
            for (var i = 0; i < 20; i++)
            {
                await writer.CreateAsync(Content($"source/{i}"), SourceId, Now.AddTicks(i), cancellationToken);
            }

            return true;
        }, cancellationToken);
    }

    [Fact]
    public async Task A_source_s_posts_are_read_along_the_index_of_posts_that_have_a_source()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await Database.OpenAsync(cancellationToken);
        var list = PostQueries.ListStatement(Database.Dialect, new PostQuery { SourceId = SourceId }, cancellationToken);

        var plan = await QueryPlans.ExplainAsync(connection, list, "posts");
        var definition = await connection.ExecuteScalarAsync<string>(TestDatabase.IsPostgres
            ? "select pg_get_indexdef('ix_posts_source'::regclass)"
            : "select sql from sqlite_schema where name = 'ix_posts_source'");

        Assert.Contains("ix_posts_source", plan, StringComparison.Ordinal);
        Assert.DoesNotContain(TestDatabase.IsPostgres ? "Seq Scan on posts" : "SCAN p", plan, StringComparison.Ordinal);
        Assert.EndsWith(TestDatabase.IsPostgres ? "WHERE (source_id IS NOT NULL)" : "where source_id is not null", definition, StringComparison.Ordinal);
        Assert.Equal(20, (await connection.QueryAsync(list)).Count());
    }

    private static PostContent Content(string path) =>
        new($"https://example.com/{path}", $"Post {path}", "", [], null, PostStatus.Published, null);
}
