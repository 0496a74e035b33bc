using System.Data;

namespace Feeds.Data.Posts;

/// <summary>
/// What every write of posts does besides storing them, whichever store wrote them: inside the transaction, the drafts
/// counted per source (<see cref="DraftCounts"/>) and then the registered hooks; after its commit, the hooks again.
/// </summary>
public sealed class PostChangeHooks(Database database, IEnumerable<IPostChangeHook> hooks)
{
    private readonly IPostChangeHook[] _hooks = [.. hooks];

    public async Task RunAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await DraftCounts.ApplyAsync(database, changes, transaction, cancellationToken);
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
