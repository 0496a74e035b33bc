using Dapper;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// The drafts queue reads its counts per source from <c>draft_counts</c>, which every write of posts keeps: after a
/// random run of creates, imports, edits between draft, scheduled and published, scheduled publishing and deletes, by
/// the author and from sources, the counts are what counting the live drafts finds.
/// </summary>
public sealed class DraftCountTests : RandomPostWrites
{
    [Fact]
    public async Task The_counts_per_source_match_the_live_drafts_after_every_kind_of_write()
    {
        await WriteAtRandomAsync(new Random(23), 300, tagsOf: _ => [], sourceOf: random => random.Next(3) == 0 ? null : random.Next(1, 4));

        await using var connection = await Database.OpenAsync(TestContext.Current.CancellationToken);
        var counted = await connection.QueryAsync<(long, long)>(
            "select coalesce(source_id, 0), count(*) from posts where status = 'draft' and deleted_at is null group by coalesce(source_id, 0) order by 1");
        var kept = await connection.QueryAsync<(long, long)>("select source_key, drafts from draft_counts where drafts <> 0 order by source_key");
        Assert.Equal(counted, kept);
        Assert.True(counted.Count() >= 3, $"the run left drafts under {counted.Count()} sources; it should leave them under several");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from draft_counts where drafts < 0"));
    }
}
