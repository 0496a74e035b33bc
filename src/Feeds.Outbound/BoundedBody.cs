using System.Buffers;
using System.Text;

namespace Feeds.Outbound;

/// <summary>The start of a response body, for attempt logs.</summary>
/// <param name="Text">The first bytes as UTF-8 text (invalid sequences replaced, a split character at the end dropped).</param>
/// <param name="BytesRead">How many bytes were read, at most the read limit.</param>
/// <param name="Truncated">Whether the body went on past the read limit.</param>
public sealed record BodyExcerpt(string Text, long BytesRead, bool Truncated);

/// <summary>
/// Reads response bodies without trusting their size. Both readers count the bytes they receive
/// (after decompression), so a missing or false Content-Length changes nothing. For the limits to
/// mean anything the request must be sent with <see cref="HttpCompletionOption.ResponseHeadersRead"/>;
/// otherwise HttpClient has already buffered the whole body.
/// </summary>
public static class BoundedBody
{
    public const int DefaultExcerptReadLimit = 64 * 1024;
    public const int DefaultExcerptKeep = 4 * 1024;
    public const long DefaultFeedLimit = 10 * 1024 * 1024;

    private const int ChunkSize = 16 * 1024;

    /// <summary>Below the 85,000 bytes from which an array goes to the large object heap.</summary>
    private const int SegmentSize = 64 * 1024;

    /// <summary>Reads at most <paramref name="readLimit"/> bytes and keeps the first <paramref name="keepBytes"/> as text.</summary>
    public static async Task<BodyExcerpt> ReadExcerptAsync(
        HttpContent content, int readLimit = DefaultExcerptReadLimit, int keepBytes = DefaultExcerptKeep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(readLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(keepBytes);
        keepBytes = Math.Min(keepBytes, readLimit);

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var kept = new byte[keepBytes];
        var keptLength = 0;
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (total < readLimit)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, readLimit - total)), cancellationToken);
                if (read == 0)
                {
                    return new BodyExcerpt(Decode(kept.AsSpan(0, keptLength)), total, Truncated: false);
                }

                var copy = Math.Min(read, keepBytes - keptLength);
                buffer.AsSpan(0, copy).CopyTo(kept.AsSpan(keptLength));
                keptLength += copy;
                total += read;
            }

            // One more byte tells a body of exactly the limit from a longer one.
            var more = await stream.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) > 0;
            return new BodyExcerpt(Decode(kept.AsSpan(0, keptLength)), total, more);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The whole body, or <see cref="ResponseTooLargeException"/> as soon as it passes <paramref name="maxBytes"/>.</summary>
    /// <returns>The body in a pooled array: dispose it once it is read.</returns>
    public static Task<PooledBody> ReadLimitedAsync(HttpContent content, long maxBytes = DefaultFeedLimit, CancellationToken cancellationToken = default) =>
        ReadLimitedAsync(content, maxBytes, ArrayPool<byte>.Shared, cancellationToken);

    /// <summary>
    /// Reads in segments small enough to stay off the large object heap, so a body refused at the limit never needed a
    /// large array, and one within it needs exactly one, rented (a body that fits in one segment is that segment).
    /// </summary>
    internal static async Task<PooledBody> ReadLimitedAsync(HttpContent content, long maxBytes, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength);

        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, declared);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var segments = new List<byte[]>();
        var total = 0;
        try
        {
            while (true)
            {
                var segment = pool.Rent(SegmentSize);
                segments.Add(segment);
                var filled = 0;
                int read;
                while (filled < SegmentSize && (read = await stream.ReadAsync(segment.AsMemory(filled, SegmentSize - filled), cancellationToken)) > 0)
                {
                    if (total + (long)read > maxBytes)
                    {
                        throw new ResponseTooLargeException(maxBytes, declaredLength: null);
                    }

                    filled += read;
                    total += read;
                }

                if (filled < SegmentSize)
                {
                    break;
                }
            }

            if (segments.Count == 1)
            {
                var only = segments[0];
                segments.Clear();
                return new PooledBody(pool, only, total);
            }

            var body = pool.Rent(total);
            for (var i = 0; i < segments.Count; i++)
            {
                var offset = i * SegmentSize;
                segments[i].AsSpan(0, Math.Min(SegmentSize, total - offset)).CopyTo(body.AsSpan(offset));
            }

            return new PooledBody(pool, body, total);
        }
        finally
        {
            foreach (var segment in segments)
            {
                pool.Return(segment);
            }
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        // flush: false holds back a character cut in half by the excerpt's end instead of turning it into U+FFFD.
        var count = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }
}
