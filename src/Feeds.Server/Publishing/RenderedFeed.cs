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
        LastModified = lastModified;
        LastModifiedHeader = HeaderUtilities.FormatDate(lastModified);
        EntryCount = entryCount;
    }

    public string FeedKey { get; }
    public IFeedWriter Writer { get; }
    public byte[] Body { get; }
    public byte[] Gzip { get; }
    public byte[] Brotli { get; }

    /// <summary>A strong validator: a quoted hash of the uncompressed bytes.</summary>
    public string ETag { get; }

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
        new(feedKey, writer, body, Compress(body, gzip: true), Compress(body, gzip: false), ETagOf(body),
            new DateTimeOffset(lastModified.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero), entryCount, sequence);

    public static RenderedFeed FromStored(StoredFeed stored) =>
        new(stored.FeedKey, FeedWriters.ForExtension(stored.Format) ?? throw new InvalidDataException($"unknown feed format '{stored.Format}'"),
            stored.Body, stored.BodyGzip, stored.BodyBrotli, stored.ETag, stored.LastModified, stored.EntryCount, 0);

    public StoredFeed ToStored() => new(FeedKey, Writer.FileExtension, Body, Gzip, Brotli, ETag, LastModified, EntryCount);

    public static string ETagOf(ReadOnlySpan<byte> body) => "\"" + Convert.ToBase64String(SHA256.HashData(body)[..18]).Replace('+', '-').Replace('/', '_') + "\"";

    private static byte[] Compress(byte[] body, bool gzip)
    {
        using var output = new MemoryStream(body.Length / 3 + 64);
        using (Stream compressor = gzip
            ? new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)
            : new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }
}
