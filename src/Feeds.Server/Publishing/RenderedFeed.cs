using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Microsoft.Net.Http.Headers;

namespace Feeds.Server.Publishing;

/// <summary>
/// One feed document ready to serve: its bytes, precompressed, and its validators, prepared once per render so a
/// request only picks an array and writes it.
/// </summary>
public sealed class RenderedFeed
{
    private static long _lastSequence;

    private RenderedFeed(string feedKey, IFeedWriter writer, byte[] body, byte[] gzip, byte[] brotli, string etag, DateTimeOffset lastModified, long entryCount, long sequence)
    {
        Sequence = sequence;
        FeedKey = feedKey;
        Writer = writer;
        Body = body;
        Gzip = gzip;
        Brotli = brotli;
        ETag = etag;
        GzipETag = WithCoding(etag, ContentCoding.Gzip);
        BrotliETag = WithCoding(etag, ContentCoding.Brotli);
        LastModified = lastModified;
        LastModifiedHeader = HeaderUtilities.FormatDate(lastModified);
        EntryCount = entryCount;
    }

    public string FeedKey { get; }
    public IFeedWriter Writer { get; }
    public byte[] Body { get; }
    public byte[] Gzip { get; }
    public byte[] Brotli { get; }

    /// <summary>A strong validator of the uncompressed representation: a quoted hash of its bytes.</summary>
    public string ETag { get; }

    /// <summary>
    /// The strong validators of the gzip and Brotli representations: <see cref="ETag"/> with the coding appended
    /// (<c>"…-gzip"</c>, <c>"…-br"</c>). RFC 9110 section 8.8.3 asks for a different strong validator for each
    /// representation, so that a cache holding several can tell which one a <c>304</c> confirms. Made once here, so
    /// a request only picks a string.
    /// </summary>
    public string GzipETag { get; }

    /// <inheritdoc cref="GzipETag"/>
    public string BrotliETag { get; }

    public DateTimeOffset LastModified { get; }
    public string LastModifiedHeader { get; }
    public long EntryCount { get; }

    /// <summary>
    /// Orders renders by when they read the posts: a render that started earlier but finished later must not
    /// replace a newer one. Documents read back from storage have 0.
    /// </summary>
    public long Sequence { get; }

    /// <summary>Taken before a render reads the posts it renders.</summary>
    public static long NextSequence() => Interlocked.Increment(ref _lastSequence);

    /// <summary>Wraps freshly rendered bytes; <paramref name="lastModified"/> should move only when the bytes do.</summary>
    public static RenderedFeed Create(string feedKey, IFeedWriter writer, byte[] body, DateTimeOffset lastModified, long entryCount, long sequence = 0) =>
        new(feedKey, writer, body, GzipOf(body), BrotliOf(body), ETagOf(body), TruncatedToSeconds(lastModified), entryCount, sequence);

    /// <summary>
    /// A document rendered for one request (an older page, an archive, another origin), last modified when it was
    /// rendered: served uncompressed, so not compressed.
    /// </summary>
    public static RenderedFeed ForOneRequest(string feedKey, IFeedWriter writer, byte[] body, DateTimeOffset renderedAt) =>
        new(feedKey, writer, body, [], [], ETagOf(body), TruncatedToSeconds(renderedAt), 0, 0);

    /// <param name="stored">The stored document.</param>
    /// <param name="sequence">
    /// <see cref="NextSequence"/> taken before the document was read, when it was read because it changed (another node
    /// rendered it): newer than any render here that read the posts before. 0 for a document read only to serve it.
    /// </param>
    public static RenderedFeed FromStored(StoredFeed stored, long sequence = 0) =>
        new(stored.FeedKey, FeedWriters.ForExtension(stored.Format) ?? throw new InvalidDataException($"unknown feed format '{stored.Format}'"),
            stored.Body, stored.BodyGzip, stored.BodyBrotli, stored.ETag, stored.LastModified, stored.EntryCount, sequence);

    public StoredFeed ToStored() => new(FeedKey, Writer.FileExtension, Body, Gzip, Brotli, ETag, LastModified, EntryCount);

    private static DateTimeOffset TruncatedToSeconds(DateTimeOffset time) =>
        new(time.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>The validator of the representation in <paramref name="coding"/> (null: uncompressed).</summary>
    public string ETagFor(string? coding) => coding switch
    {
        ContentCoding.Brotli => BrotliETag,
        ContentCoding.Gzip => GzipETag,
        _ => ETag,
    };

    private static string WithCoding(string etag, string coding) => string.Concat(etag.AsSpan(0, etag.Length - 1), "-", coding, "\"");

    public static string ETagOf(ReadOnlySpan<byte> body) => "\"" + Convert.ToBase64String(SHA256.HashData(body)[..18]).Replace('+', '-').Replace('/', '_') + "\"";

    /// <summary>
    /// Brotli quality 6 with a 256 KB window, and gzip level 5: every publish compresses nine documents (three feeds,
    /// three formats) on its way to being visible, and compressing is most of that render's time. For a 70 KB feed,
    /// Brotli 6 takes about 1.6 ms (Brotli 11 would take some 100 ms for 15 % less); the default 4 MB window only adds
    /// set-up time for documents this size. gzip 5 takes 0.7 ms and is 7 % larger than the runtime's
    /// <see cref="CompressionLevel.Optimal"/>, which takes 2.4 ms.
    /// </summary>
    private static byte[] BrotliOf(byte[] body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(body.Length));
        try
        {
            return BrotliEncoder.TryCompress(body, buffer, out var written, quality: 6, window: 18)
                ? buffer[..written]
                : throw new InvalidOperationException("Brotli output exceeded its maximum length");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="BrotliOf"/>
    private static byte[] GzipOf(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 3 + 64);
        using (var compressor = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = 5 }, leaveOpen: true))
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }
}
