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
