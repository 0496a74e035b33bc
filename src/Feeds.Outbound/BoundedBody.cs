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
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes = DefaultFeedLimit, CancellationToken cancellationToken = default)
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
        // A declared length only sizes the first buffer, and only up to a point: it may be a lie.
        using var body = new MemoryStream((int)Math.Min(declared ?? ChunkSize, Math.Min(maxBytes, 1024 * 1024)));
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken);
                if (read == 0)
                {
                    return body.ToArray();
                }

                if (body.Length + read > maxBytes)
                {
                    throw new ResponseTooLargeException(maxBytes, declaredLength: null);
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
