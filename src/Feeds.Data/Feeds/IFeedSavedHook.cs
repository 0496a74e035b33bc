using System.Data;

namespace Feeds.Data.Feeds;

/// <summary>
/// Work that must happen with every stored change of a feed document. <see cref="OnSavedAsync"/> runs inside the
/// transaction that stores the new documents, so what it records (distributions to subscribers) commits or rolls back
/// with them; <see cref="AfterCommit"/> runs once they are durable, to wake whoever acts on them.
/// </summary>
public interface IFeedSavedHook
{
    Task OnSavedAsync(IReadOnlyList<StoredFeed> documents, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken);

    void AfterCommit(IReadOnlyList<StoredFeed> documents)
    {
    }
}
