using System.Text;
using Feeds.Core.Syndication;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Tests.Publishing;

/// <summary>What regeneration may bring into memory: a render of many feeds refreshes held documents and adds no others.</summary>
public sealed class FeedCacheTests : IDisposable
{
    private readonly FeedCache _cache = new(Options.Create(new PublishingOptions()));

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void A_render_of_many_feeds_refreshes_the_documents_held_and_brings_in_no_others()
    {
        _cache.Put(Feed("tag:held", "first", sequence: 1));

        _cache.Put(Feed("tag:held", "second", sequence: 2), onlyIfHeld: true);
        _cache.Put(Feed("tag:cold", "cold", sequence: 3), onlyIfHeld: true);

        Assert.True(_cache.TryGet("tag:held", FeedWriters.Atom, out var held));
        Assert.Equal("second", Encoding.UTF8.GetString(held.Body));
        Assert.False(_cache.TryGet("tag:cold", FeedWriters.Atom, out _));
    }

    [Fact]
    public void The_firehose_is_always_held_and_an_older_render_never_replaces_a_newer_one()
    {
        _cache.Put(Feed(FeedKey.Everything.Value, "new", sequence: 5), onlyIfHeld: true);
        _cache.Put(Feed(FeedKey.Everything.Value, "old", sequence: 4));
        _cache.Put(Feed("tag:a", "new", sequence: 7));
        _cache.Put(Feed("tag:a", "old", sequence: 6));

        Assert.True(_cache.TryGet(FeedKey.Everything.Value, FeedWriters.Atom, out var firehose));
        Assert.Equal("new", Encoding.UTF8.GetString(firehose.Body));
        Assert.True(_cache.TryGet("tag:a", FeedWriters.Atom, out var tag));
        Assert.Equal("new", Encoding.UTF8.GetString(tag.Body));
    }

    private static RenderedFeed Feed(string key, string body, long sequence) =>
        RenderedFeed.Create(key, FeedWriters.Atom, Encoding.UTF8.GetBytes(body), DateTimeOffset.UnixEpoch, 1, sequence);
}
