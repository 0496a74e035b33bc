using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace Feeds.Outbound.Tests;

public sealed class BoundedBodyTests
{
    private const int TwelveMiB = 12 * 1024 * 1024;

    private static readonly OutboundOptions SelfHosted = new()
    {
        AllowPrivateNetworks = true,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<HttpResponseMessage> GetAsync(LoopbackServer server, HttpClient client) =>
        await client.GetAsync(server.Url(), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

    private static LoopbackServer Serving(Func<Stream, CancellationToken, Task> writeBody, params string[] headers) =>
        LoopbackServer.Start(async (stream, ct) =>
        {
            var head = "HTTP/1.1 200 OK\r\nConnection: close\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await writeBody(stream, ct);
        });

    private static async Task WriteZerosAsync(Stream stream, int length, bool chunked, CancellationToken ct)
    {
        var block = new byte[64 * 1024];
        for (var sent = 0; sent < length; sent += block.Length)
        {
            if (chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{block.Length:X}\r\n"), ct);
            }

            await stream.WriteAsync(block, ct);
            if (chunked)
            {
                await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            }
        }

        if (chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        }
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_fails_before_reading()
    {
        await using var server = Serving((s, ct) => WriteZerosAsync(s, TwelveMiB, chunked: false, ct), $"Content-Length: {TwelveMiB}");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, TestContext.Current.CancellationToken));

        Assert.Equal(TwelveMiB, error.DeclaredLength);
        Assert.Equal("too_large", OutboundError.FromException(error, TestContext.Current.CancellationToken).Code);
    }

    [Fact]
    public async Task A_chunked_body_without_content_length_is_counted_and_fails_at_the_limit()
    {
        await using var server = Serving((s, ct) => WriteZerosAsync(s, TwelveMiB, chunked: true, ct), "Transfer-Encoding: chunked");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, TestContext.Current.CancellationToken));

        Assert.Null(error.DeclaredLength);
        Assert.Equal(BoundedBody.DefaultFeedLimit, error.Limit);
    }

    [Fact]
    public async Task A_body_ended_by_closing_the_connection_is_counted_too()
    {
        await using var server = Serving((s, ct) => WriteZerosAsync(s, TwelveMiB, chunked: false, ct));
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_compressed_body_is_limited_by_its_decompressed_size()
    {
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            await gzip.WriteAsync(new byte[TwelveMiB], TestContext.Current.CancellationToken);
        }

        var compressed = packed.ToArray();
        await using var server = Serving(
            (s, ct) => s.WriteAsync(compressed, ct).AsTask(), "Content-Encoding: gzip", $"Content-Length: {compressed.Length}");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read_whole()
    {
        var body = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await using var server = Serving((s, ct) => s.WriteAsync(body, ct).AsTask(), "Transfer-Encoding: identity");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        using var read = await BoundedBody.ReadLimitedAsync(response.Content, body.Length, TestContext.Current.CancellationToken);

        Assert.Equal(body, read.Memory.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(64 * 1024)]
    [InlineData(300_001)]
    public async Task A_body_is_read_into_one_pooled_array_that_goes_back_to_the_pool_when_disposed(int length)
    {
        var body = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        await using var server = Serving((s, ct) => s.WriteAsync(body, ct).AsTask(), $"Content-Length: {length}");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);
        var pool = new CountingPool();

        var read = await BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, pool, TestContext.Current.CancellationToken);

        Assert.Equal(body, read.Memory.ToArray());
        Assert.Equal(1, pool.Outstanding);
        read.Dispose();
        read.Dispose();
        Assert.Equal(0, pool.Outstanding);
        Assert.Throws<ObjectDisposedException>(() => read.Memory);
    }

    [Fact]
    public async Task A_chunked_body_refused_at_the_limit_gives_back_every_array_and_never_rents_a_large_one()
    {
        await using var server = Serving((s, ct) => WriteZerosAsync(s, TwelveMiB, chunked: true, ct), "Transfer-Encoding: chunked");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);
        var pool = new CountingPool();

        await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => BoundedBody.ReadLimitedAsync(response.Content, BoundedBody.DefaultFeedLimit, pool, TestContext.Current.CancellationToken));

        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.Largest < 85_000, $"rented an array of {pool.Largest:N0} bytes, which goes to the large object heap");
    }

    [Fact]
    public async Task An_excerpt_reads_at_most_64_KiB_and_keeps_4_KiB_of_text()
    {
        await using var server = Serving((s, ct) => WriteZerosAsync(s, TwelveMiB, chunked: true, ct), "Transfer-Encoding: chunked");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        var excerpt = await BoundedBody.ReadExcerptAsync(response.Content, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(64 * 1024, excerpt.BytesRead);
        Assert.True(excerpt.Truncated);
        Assert.Equal(4096, excerpt.Text.Length);
    }

    [Fact]
    public async Task A_short_body_is_kept_whole_in_the_excerpt()
    {
        await using var server = LoopbackServer.Responding("500 Internal Server Error", "{\"error\":\"database is down\"}");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        var excerpt = await BoundedBody.ReadExcerptAsync(response.Content, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new BodyExcerpt("{\"error\":\"database is down\"}", 28, Truncated: false), excerpt);
    }

    [Fact]
    public async Task An_excerpt_never_ends_in_half_a_character()
    {
        await using var server = LoopbackServer.Responding("200 OK", string.Concat(Enumerable.Repeat("€", 2000)));
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await GetAsync(server, client);

        var excerpt = await BoundedBody.ReadExcerptAsync(response.Content, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new string('€', 4096 / 3), excerpt.Text);
        Assert.Equal(6000, excerpt.BytesRead);
    }

    /// <summary>A real pool that counts what is rented from it and not yet given back.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private readonly ArrayPool<byte> _pool = Create();
        private int _outstanding;

        public int Outstanding => Volatile.Read(ref _outstanding);

        public int Largest { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _outstanding);
            Largest = Math.Max(Largest, minimumLength);
            return _pool.Rent(minimumLength);
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Interlocked.Decrement(ref _outstanding);
            _pool.Return(array, clearArray);
        }
    }
}
