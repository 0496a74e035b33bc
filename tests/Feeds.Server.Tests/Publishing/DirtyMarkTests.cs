using Feeds.Data.Feeds;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>A render clears the marks it read and only those: a change made while it runs is rendered by the next.</summary>
public sealed class DirtyMarkTests : StoreTests
{
    private FeedStore _store = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _store = new FeedStore(Database);
    }

    [Fact]
    public async Task A_render_clears_the_marks_it_read()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await _store.MarkDirtyAsync(["everything", "tag:python"], cancellationToken);

        await _store.SaveAsync([], await _store.ListDirtyAsync(cancellationToken), cancellationToken);

        Assert.Empty(await _store.ListDirtyAsync(cancellationToken));
    }

    [Fact]
    public async Task A_mark_made_while_a_render_runs_keeps_the_feed_dirty()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await _store.MarkDirtyAsync(["everything"], cancellationToken);
        var read = await _store.ListDirtyAsync(cancellationToken);

        await _store.MarkDirtyAsync(["everything"], cancellationToken);
        await _store.SaveAsync([], read, cancellationToken);

        Assert.Equal(["everything"], (await _store.ListDirtyAsync(cancellationToken)).Select(d => d.FeedKey));
    }

    [Fact]
    public async Task A_mark_with_a_lower_id_that_commits_after_the_render_read_keeps_the_feed_dirty()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await _store.MarkDirtyAsync(["everything"], cancellationToken);
        await _store.MarkDirtyAsync(["everything"], cancellationToken);
        var all = await _store.ListDirtyAsync(cancellationToken);
        // What a render sees when the first of two concurrent writers commits last: only the second mark.
        var seen = new DirtyFeed("everything", [all[0].Marks[^1]]);

        await _store.SaveAsync([], [seen], cancellationToken);

        Assert.Equal([all[0].Marks[0]], (await _store.ListDirtyAsync(cancellationToken)).Single().Marks);
    }
}
