using System.Data;

namespace Feeds.Data.Posts;

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
