using System.Buffers;

namespace Feeds.Core.Syndication;

/// <summary>The three feed formats, as shared writer instances.</summary>
public static class FeedWriters
{
    public static AtomFeedWriter Atom { get; } = new();
    public static RssFeedWriter Rss { get; } = new();
    public static JsonFeedWriter Json { get; } = new();

    public static IReadOnlyList<IFeedWriter> All { get; } = [Atom, Rss, Json];

    /// <summary>
    /// Changes whenever the writers' output for the same posts changes (2: URIs with punycode hosts and encoded ids; 3: the WebSub hub link),
    /// so documents stored by an earlier version are rendered again at start-up.
    /// </summary>
    public const int OutputRevision = 3;

    /// <summary>The writer for a URL extension (<c>atom</c>, <c>rss</c>, <c>json</c>), or null for any other.</summary>
    public static IFeedWriter? ForExtension(string extension) =>
        All.FirstOrDefault(w => string.Equals(w.FileExtension, extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>Renders into a new array; for tests and callers that store the bytes whole.</summary>
    public static byte[] WriteToArray(this IFeedWriter writer, FeedDocument feed)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024 + feed.Entries.Count * 1536);
        writer.Write(feed, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
