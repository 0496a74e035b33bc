using Dapper;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// The drafts queue reads its counts per source from <c>draft_counts</c>, which every write of posts keeps: after a
/// random run of creates, imports, edits between draft, scheduled and published, scheduled publishing and deletes, by
/// the author and from sources, the counts are what counting the live drafts finds.
/// </summary>
public sealed class DraftCountTests : StoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly PostStatus[] Statuses = [PostStatus.Draft, PostStatus.Published, PostStatus.Scheduled];

    private readonly FakeTimeProvider _clock = new(Start);

    private PostStore _store = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _store = PostStore(_clock);
    }

    [Fact]
    public async Task The_counts_per_source_match_the_live_drafts_after_every_kind_of_write()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var random = new Random(23);
        var live = new List<Guid>();
        for (var step = 0; step < 300; step++)
        {
            switch (random.Next(6))
            {
                case 0 or 1:
                    long? source = random.Next(3) == 0 ? null : random.Next(1, 4);
                    var content = Content(step, random);
                    var created = await _store.WriteAsync(writer => writer.CreateAsync(content, source, at: null, cancellationToken), cancellationToken);
                    live.Add(created.Id);
                    break;
                case 2:
                    var batch = Enumerable.Range(0, random.Next(1, 20)).Select(i => new NewPost(Content(step * 100 + i, random, scheduled: false), null, null)).ToList();
                    var imported = await _store.ImportAsync(batch, cancellationToken);
                    live.AddRange(imported.Outcomes.Select(i => i.Id));
                    break;
                case 3 when live.Count > 0:
                    var edited = live[random.Next(live.Count)];
                    await _store.UpdateAsync(edited, Content(step, random), cancellationToken);
                    break;
                case 4 when live.Count > 0:
                    var deleted = live[random.Next(live.Count)];
                    await _store.DeleteAsync(deleted, cancellationToken);
                    live.Remove(deleted);
                    break;
                default:
                    _clock.Advance(TimeSpan.FromHours(random.Next(1, 48)));
                    await _store.PublishDueAsync(cancellationToken);
                    break;
            }
        }

        await using var connection = await Database.OpenAsync(cancellationToken);
        var counted = await connection.QueryAsync<(long, long)>(
            "select coalesce(source_id, 0), count(*) from posts where status = 'draft' and deleted_at is null group by coalesce(source_id, 0) order by 1");
        var kept = await connection.QueryAsync<(long, long)>("select source_key, drafts from draft_counts where drafts <> 0 order by source_key");
        Assert.Equal(counted, kept);
        Assert.True(counted.Count() >= 3, $"the run left drafts under {counted.Count()} sources; it should leave them under several");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from draft_counts where drafts < 0"));
    }

    private PostContent Content(int n, Random random, bool scheduled = true)
    {
        var status = Statuses[random.Next(scheduled ? 3 : 2)];
        return new($"https://example.com/{n}", $"Post {n}", "", [], null, status, status == PostStatus.Scheduled ? _clock.GetUtcNow().AddHours(random.Next(1, 72)) : null);
    }
}
