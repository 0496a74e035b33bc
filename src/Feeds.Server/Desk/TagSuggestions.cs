using System.Diagnostics;
using Feeds.Data.Tags;
using Feeds.Server.Http;
using Microsoft.Extensions.Primitives;

namespace Feeds.Server.Desk;

/// <summary>
/// Tag suggestions for the compose form: every tag with its count, kept in slug order, so each keystroke's prefix is a
/// binary search. The counts are read again after each change of the posts (counting the tags of 100,000 posts takes
/// about 25 ms): in the background shortly after the change while the desk is in use, so the author's next keystroke
/// finds them read, and by the request itself when it comes before that read is done, so a suggestion never shows
/// counts older than the request.
/// </summary>
public sealed partial class TagSuggestions : IDisposable
{
    /// <summary>How long after a change the background read waits, so that a burst of changes is read once.</summary>
    public static readonly TimeSpan RefreshDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The least time between background reads: under a stream of writes, reading stays a small share of a core.</summary>
    public static readonly TimeSpan RefreshSpacing = TimeSpan.FromSeconds(1);

    /// <summary>How long after the last suggestion the desk counts as in use, and changes are followed by a read.</summary>
    public static readonly TimeSpan InUseFor = TimeSpan.FromMinutes(15);

    private readonly TagStore _tags;
    private readonly ApiCaching.ContentVersion _contentVersion;
    private readonly TimeProvider _clock;
    private readonly ILogger<TagSuggestions> _logger;
    private readonly IDisposable _following;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile Snapshot? _snapshot;
    private long _lastAskedAt;
    private long _lastRefreshEndedAt;
    private int _refreshPending;

    public TagSuggestions(TagStore tags, ApiCaching.ContentVersion contentVersion, TimeProvider clock, ILogger<TagSuggestions> logger)
    {
        (_tags, _contentVersion, _clock, _logger) = (tags, contentVersion, clock, logger);
        _following = ChangeToken.OnChange(contentVersion.Watch, OnContentChanged);
    }

    /// <summary>The tags whose slug starts with <paramref name="slugPrefix"/>, most used first.</summary>
    public async Task<IReadOnlyList<TagSuggestion>> SuggestAsync(string slugPrefix, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastAskedAt, _clock.GetTimestamp());
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

    /// <summary>Reads the counts again soon, in the background, when the desk has asked for suggestions lately.</summary>
    private void OnContentChanged()
    {
        if (_snapshot is null || _clock.GetElapsedTime(Interlocked.Read(ref _lastAskedAt)) > InUseFor
            || Interlocked.Exchange(ref _refreshPending, 1) == 1)
        {
            return;
        }

        _ = RefreshSoonAsync();
    }

    private async Task RefreshSoonAsync()
    {
        try
        {
            var sinceLast = _clock.GetElapsedTime(Interlocked.Read(ref _lastRefreshEndedAt));
            await Task.Delay(sinceLast < RefreshSpacing ? RefreshSpacing - sinceLast : RefreshDelay, _clock, _stopping.Token);
            // Changes from here on ask for a read of their own: this one may begin before they commit.
            Volatile.Write(ref _refreshPending, 0);
            var started = Stopwatch.GetTimestamp();
            await CurrentAsync(_stopping.Token);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRefreshed(_logger, milliseconds);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // The next suggestion reads them itself.
            LogRefreshFailed(_logger, exception);
        }
        finally
        {
            Volatile.Write(ref _refreshPending, 0);
            Interlocked.Exchange(ref _lastRefreshEndedAt, _clock.GetTimestamp());
        }
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = _contentVersion.Current;
        if (_snapshot is { } fresh && fresh.Version == version)
        {
            return fresh;
        }

        // One reading at a time: keystrokes arriving together after a change wait for the same one.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            version = _contentVersion.Current;
            if (_snapshot is { } read && read.Version == version)
            {
                return read;
            }

            var all = (await _tags.ListUseAsync(cancellationToken)).OrderBy(t => t.Slug, StringComparer.Ordinal).ToList();
            return _snapshot = new Snapshot(version, all);
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Stops following changes and a background read; one under way ends at its next await.</summary>
    public void Dispose()
    {
        _following.Dispose();
        _stopping.Cancel();
    }

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tag suggestions read again after a change in {Milliseconds:0.0} ms")]
    private static partial void LogRefreshed(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tag suggestions could not be read again after a change; the next suggestion reads them")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private sealed record Snapshot(string Version, List<TagSuggestion> Tags);
}
