using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// A store test over a random run of every kind of write of posts, on a clock of its own: creates (by the author or from
/// sources), imports, edits between draft, scheduled and published, deletes, the clock moved on and the scheduled posts
/// due published, and whatever other writes the test adds. What the writes keep beside the posts is then compared with
/// a scan of them.
/// </summary>
public abstract class RandomPostWrites : StoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly PostStatus[] Statuses = [PostStatus.Draft, PostStatus.Published, PostStatus.Scheduled];

    protected FakeTimeProvider Clock { get; } = new(Start);

    protected PostStore Store { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Store = PostStore(Clock);
    }

    /// <summary>
    /// <paramref name="steps"/> random writes. Each post has the tags <paramref name="tagsOf"/> picks and comes from the
    /// source <paramref name="sourceOf"/> picks (null: the author's own); <paramref name="other"/>, when given, is one
    /// more kind of write, as likely as each of the others.
    /// </summary>
    protected async Task WriteAtRandomAsync(
        Random random, int steps, Func<Random, IReadOnlyList<Tag>> tagsOf, Func<Random, long?> sourceOf, Func<Task>? other = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var live = new List<Guid>();
        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(other is null ? 6 : 7))
            {
                case 0 or 1:
                    var content = Content(step, random, tagsOf);
                    var source = sourceOf(random);
                    live.Add((await Store.WriteAsync(writer => writer.CreateAsync(content, source, at: null, cancellationToken), cancellationToken)).Id);
                    break;
                case 2:
                    var batch = Enumerable.Range(0, random.Next(1, 20)).Select(i => new NewPost(Content(step * 100 + i, random, tagsOf, scheduled: false), null, null)).ToList();
                    live.AddRange((await Store.ImportAsync(batch, cancellationToken)).Outcomes.Select(i => i.Id));
                    break;
                case 3 when live.Count > 0:
                    await Store.UpdateAsync(live[random.Next(live.Count)], Content(step, random, tagsOf), cancellationToken);
                    break;
                case 4 when live.Count > 0:
                    var deleted = live[random.Next(live.Count)];
                    await Store.DeleteAsync(deleted, cancellationToken);
                    live.Remove(deleted);
                    break;
                case 6:
                    await other!();
                    break;
                default:
                    Clock.Advance(TimeSpan.FromHours(random.Next(1, 48)));
                    await Store.PublishDueAsync(cancellationToken);
                    break;
            }
        }
    }

    private PostContent Content(int n, Random random, Func<Random, IReadOnlyList<Tag>> tagsOf, bool scheduled = true)
    {
        var status = Statuses[random.Next(scheduled ? 3 : 2)];
        return new($"https://example.com/{n}", $"Post {n}", "", tagsOf(random), null, status,
            status == PostStatus.Scheduled ? Clock.GetUtcNow().AddHours(random.Next(1, 72)) : null);
    }
}
