using System.Data;

namespace Feeds.Data.Posts;

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
