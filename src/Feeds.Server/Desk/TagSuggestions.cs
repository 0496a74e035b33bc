using Feeds.Data.Tags;
using Feeds.Server.Http;

namespace Feeds.Server.Desk;

/// <summary>
/// Tag suggestions for the compose form: every tag with its count, read once per change of the posts (counting the
/// tags of 100,000 posts takes a fifth of a second) and kept in slug order, so each keystroke's prefix is a binary search.
/// </summary>
public sealed class TagSuggestions(TagStore tags, ApiCaching.ContentVersion contentVersion) : IDisposable
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>The tags whose slug starts with <paramref name="slugPrefix"/>, most used first.</summary>
    public async Task<IReadOnlyList<TagSuggestion>> SuggestAsync(string slugPrefix, int limit, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        var all = snapshot.Tags;
        var first = LowerBound(all, slugPrefix);
        var found = new List<TagSuggestion>();
        for (var i = first; i < all.Count && all[i].Slug.StartsWith(slugPrefix, StringComparison.Ordinal); i++)
        {
            found.Add(all[i]);
        }

        return [.. found.OrderByDescending(t => t.Posts).ThenBy(t => t.Slug, StringComparer.Ordinal).Take(limit)];
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = contentVersion.Current;
        if (_snapshot is { } fresh && fresh.Version == version)
        {
            return fresh;
        }

        // One reading at a time: keystrokes arriving together after a change wait for the same one.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            version = contentVersion.Current;
            if (_snapshot is { } read && read.Version == version)
            {
                return read;
            }

            var all = (await tags.ListUseAsync(cancellationToken)).OrderBy(t => t.Slug, StringComparer.Ordinal).ToList();
            return _snapshot = new Snapshot(version, all);
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    private static int LowerBound(List<TagSuggestion> sorted, string prefix)
    {
        var (low, high) = (0, sorted.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(sorted[middle].Slug, prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private sealed record Snapshot(string Version, List<TagSuggestion> Tags);
}
