using System.Data;
using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>One post as it was before and after a write; null on the side where it did not exist (or was deleted).</summary>
public sealed record PostChange(Post? Before, Post? After)
{
    /// <summary>The tags of both sides: every tag whose views this change can alter.</summary>
    public IEnumerable<string> AffectedTagSlugs =>
        (Before?.Tags ?? []).Concat(After?.Tags ?? []).Select(t => t.Slug).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// True for a post brought in by an import (<see cref="PostStore.ImportAsync"/>): history being filled in, not news.
    /// Feeds still show it; hooks that announce changes to the outside world leave it out.
    /// </summary>
    public bool Imported { get; init; }

    public bool WasPublished => Before is { Status: PostStatus.Published };

    public bool IsPublished => After is { Status: PostStatus.Published };
}

/// <summary>
/// Work that must happen with every post write. <see cref="OnChangedAsync"/> runs inside the write's
/// transaction, so what it records (dirty feeds, outgoing webhook messages) commits or rolls back with the
/// post; <see cref="AfterCommit"/> runs once the data is durable, to wake whoever acts on it.
/// </summary>
public interface IPostChangeHook
{
    Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken);

    void AfterCommit(IReadOnlyList<PostChange> changes)
    {
    }
}

/// <summary>The registered hooks, run together: inside the transaction, then after its commit.</summary>
public sealed class PostChangeHooks(IEnumerable<IPostChangeHook> hooks)
{
    private readonly IPostChangeHook[] _hooks = [.. hooks];

    public async Task RunAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var hook in _hooks)
        {
            await hook.OnChangedAsync(changes, connection, transaction, cancellationToken);
        }
    }

    public void AfterCommit(IReadOnlyList<PostChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var hook in _hooks)
        {
            hook.AfterCommit(changes);
        }
    }
}
