using System.Buffers;

namespace Feeds.Core.Syndication;

/// <summary>Renders a <see cref="FeedDocument"/> as UTF-8 bytes (without a byte order mark) in one format.</summary>
/// <remarks>Implementations keep no per-render state: one instance serves every thread.</remarks>
public interface IFeedWriter
{
    /// <summary>The Content-Type to serve the bytes with, including the charset.</summary>
    string MediaType { get; }

    /// <summary>The extension of the feed's URL, without the dot: <c>atom</c>, <c>rss</c> or <c>json</c>.</summary>
    string FileExtension { get; }

    void Write(FeedDocument feed, Stream destination);

    void Write(FeedDocument feed, IBufferWriter<byte> destination);
}

/// <summary>The three feed formats, as shared writer instances.</summary>
public static class FeedWriters
{
    public static AtomFeedWriter Atom { get; } = new();
    public static RssFeedWriter Rss { get; } = new();
    public static JsonFeedWriter Json { get; } = new();

    public static IReadOnlyList<IFeedWriter> All { get; } = [Atom, Rss, Json];

    /// <summary>
    /// Changes whenever the writers' output for the same posts changes (2: URIs with punycode hosts and encoded ids),
    /// so documents stored by an earlier version are rendered again at start-up.
    /// </summary>
    public const int OutputRevision = 2;

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
