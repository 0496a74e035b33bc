using System.Collections.Concurrent;
using Feeds.Core.Syndication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Publishing;

/// <summary>
/// Rendered feeds in memory, within a byte budget: the firehose always, other feeds while they are read.
/// A document is swapped whole, so a reader gets the old bytes or the new ones. Misses fall back to the
/// stored copy, so a restart serves at once without rendering.
/// </summary>
public sealed class FeedCache : IDisposable
{
    private readonly ConcurrentDictionary<string, RenderedFeed> _firehose = new(StringComparer.Ordinal);
    private readonly MemoryCache _others;
    private readonly ConcurrentDictionary<string, byte> _combinations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _sites = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _forgotten = new(StringComparer.Ordinal);

    public FeedCache(IOptions<PublishingOptions> options) =>
        _others = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheMegabytes * 1024L * 1024L });

    /// <summary>The combination feeds (<c>tag:a+b</c>) that exist, so a change can mark the ones it touches.</summary>
    public IEnumerable<string> CombinationKeys => _combinations.Keys;

    /// <summary>Whether the feed of a site (<c>site:example.com</c>) exists, so a change of a post linking there marks it.</summary>
    public bool HoldsSite(string feedKey) => _sites.ContainsKey(feedKey);

    public bool TryGet(string feedKey, IFeedWriter writer, out RenderedFeed feed)
    {
        if (feedKey == FeedKey.Everything.Value)
        {
            return _firehose.TryGetValue(writer.FileExtension, out feed!);
        }

        return _others.TryGetValue((feedKey, writer.FileExtension), out feed!);
    }

    /// <summary>Swaps in <paramref name="feed"/> unless the cache already holds a document rendered from newer data.</summary>
    /// <param name="feed">The document.</param>
    /// <param name="onlyIfHeld">
    /// Replace a document of this feed and format already in memory, but bring no other feed into memory: for renders of
    /// many feeds at once (a full rebuild, an import, a rename), which would otherwise churn cold documents through the
    /// cache and the heap. The firehose is always held.
    /// </param>
    public void Put(RenderedFeed feed, bool onlyIfHeld = false)
    {
        if (_forgotten.TryGetValue(feed.FeedKey, out var forgottenAt) && feed.Sequence < forgottenAt)
        {
            return;
        }

        if (feed.FeedKey == FeedKey.Everything.Value)
        {
            _firehose.AddOrUpdate(feed.Writer.FileExtension, feed, (_, current) => current.Sequence > feed.Sequence ? current : feed);
            return;
        }

        if (FeedKey.IsOnDemand(feed.FeedKey))
        {
            Remember(feed.FeedKey);
        }

        lock (_others)
        {
            var held = _others.TryGetValue((feed.FeedKey, feed.Writer.FileExtension), out RenderedFeed? current);
            if ((held && current!.Sequence > feed.Sequence) || (!held && onlyIfHeld))
            {
                return;
            }

            _others.Set((feed.FeedKey, feed.Writer.FileExtension), feed, new MemoryCacheEntryOptions
            {
                Size = feed.Body.Length + feed.Gzip.Length + feed.Brotli.Length,
            });
        }
    }

    /// <summary>Remembers a feed that exists once it is read (<see cref="FeedKey.IsOnDemand"/>) as in use: changes now keep it current.</summary>
    public void Remember(string feedKey) => (FeedKey.SiteOf(feedKey) is null ? _combinations : _sites).TryAdd(feedKey, 0);

    public void Remove(string feedKey)
    {
        _combinations.TryRemove(feedKey, out _);
        _sites.TryRemove(feedKey, out _);
        foreach (var writer in FeedWriters.All)
        {
            _others.Remove((feedKey, writer.FileExtension));
        }
    }

    /// <summary>Drops every document of a tag that no longer exists: its own feed and the combinations holding it.</summary>
    /// <remarks>A render that read the posts before this call may still finish later; it is refused, not served.</remarks>
    public void ForgetTag(string slug)
    {
        var now = RenderedFeed.NextSequence();
        var holding = _combinations.Keys.Where(k => FeedKey.TrySlugsOf(k, out var slugs) && slugs.Contains(slug, StringComparer.Ordinal));
        foreach (var key in holding.Append(FeedKey.ValueFor(slug)))
        {
            _forgotten[key] = now;
            Remove(key);
        }
    }

    /// <summary>Whether the document of <paramref name="feedKey"/> in <paramref name="format"/> in memory, if any, is the one with <paramref name="etag"/>.</summary>
    public bool IsCurrent(string feedKey, string format, string etag) =>
        FeedWriters.ForExtension(format) is not { } writer || !TryGet(feedKey, writer, out var held) || held.ETag == etag;

    /// <summary>Every feed with a document in memory.</summary>
    public IEnumerable<string> HeldKeys =>
        _others.Keys.OfType<(string FeedKey, string Extension)>().Select(k => k.FeedKey).Concat(_firehose.IsEmpty ? [] : [FeedKey.Everything.Value]);

    public void Dispose() => _others.Dispose();
}
