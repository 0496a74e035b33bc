using System.Data;
using Feeds.Data.Posts;

namespace Feeds.Data.Search;

/// <summary>Keeps the search index in step with the posts, inside every write's own transaction.</summary>
public sealed class SearchIndexHook(SearchIndex index) : IPostChangeHook
{
    public Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
        index.IndexAsync(changes, transaction, cancellationToken);
}
