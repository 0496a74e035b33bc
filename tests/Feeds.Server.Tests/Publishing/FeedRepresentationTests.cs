using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// How a feed is represented on the wire (media types, caching headers, codings, validators, <c>HEAD</c>), all read
/// from the firehose of one site: each test publishes a post with a title of its own and waits until the firehose
/// holds it, so the document it then reads twice is the same.
/// </summary>
public sealed class FeedRepresentationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private HttpClient Author => fixture.Author;

    private HttpClient Reader { get; } = fixture.Server.CreateClient();

    [Theory]
    [InlineData("atom", "application/atom+xml; charset=utf-8")]
    [InlineData("rss", "application/rss+xml; charset=utf-8")]
    [InlineData("json", "application/feed+json; charset=utf-8")]
    public async Task Each_format_is_served_with_its_media_type_and_caching_headers(string format, string mediaType)
    {
        await Author.PublishAsync($"Headers {format}");
        await Reader.WaitForTitleAsync($"/everything.{format}", $"Headers {format}", Soon);

        var response = await Reader.GetAsync($"/everything.{format}");

        Assert.Equal(mediaType, response.Content.Headers.ContentType!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }


    [Fact]
    public async Task AReader_with_the_current_etag_gets_304_also_when_it_sends_it_back_weak()
    {
        await Author.PublishAsync("Conditional");
        await Reader.WaitForTitleAsync("/everything.atom", "Conditional", Soon);
        var first = await Reader.GetAsync("/everything.atom");
        var etag = first.Headers.ETag!.Tag;

        foreach (var sent in new[] { etag, "W/" + etag, $"\"other\", {etag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
            request.Headers.TryAddWithoutValidation("If-None-Match", sent);
            var response = await Reader.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"stale\"");
        Assert.Equal(HttpStatusCode.OK, (await Reader.SendAsync(stale)).StatusCode);

        using var since = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
        since.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await Reader.SendAsync(since)).StatusCode);
    }


    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        await Author.PublishAsync("Answered to HEAD");
        await Reader.WaitForTitleAsync("/everything.atom", "Answered to HEAD", Soon);
        var get = await Reader.GetAsync("/everything.atom");
        var head = await Reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/everything.atom"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }


    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Each_coding_is_its_own_representation_with_its_own_strong_etag(string method)
    {
        await Author.PublishAsync($"Codings {method}");
        await Reader.WaitForTitleAsync("/everything.atom", $"Codings {method}", Soon);

        var etags = new List<EntityTagHeaderValue>();
        foreach (var coding in new[] { "identity", "gzip", "br" })
        {
            var response = await SendAsync(new HttpMethod(method), "/everything.atom", coding);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.False(response.Headers.ETag!.IsWeak);
            etags.Add(response.Headers.ETag);
        }

        Assert.Equal(3, etags.Select(e => e.Tag).Distinct().Count());
        Assert.Equal(etags[0], (await SendAsync(new HttpMethod(method), "/everything.atom", "identity")).Headers.ETag);
    }


    [Theory]
    [InlineData("identity", "gzip")]
    [InlineData("gzip", "identity")]
    [InlineData("gzip", "br")]
    [InlineData("br", "identity")]
    [InlineData("br", "br")]
    public async Task The_etag_of_one_coding_gets_304_in_every_coding_of_the_same_document(string had, string asks)
    {
        await Author.PublishAsync($"Revalidated {had} {asks}");
        await Reader.WaitForTitleAsync("/everything.atom", $"Revalidated {had} {asks}", Soon);
        var held = (await SendAsync(HttpMethod.Get, "/everything.atom", had)).Headers.ETag!.Tag;
        var current = (await SendAsync(HttpMethod.Get, "/everything.atom", asks)).Headers.ETag!.Tag;

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            var response = await SendAsync(method, "/everything.atom", asks, held);

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(current, response.Headers.ETag!.Tag);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        var stale = await SendAsync(HttpMethod.Get, "/everything.atom", asks, held.Insert(held.Length - 1, "x"));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }


    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task Precompressed_bodies_match_the_plain_one(string acceptEncoding, string? contentEncoding)
    {
        await Author.PublishAsync($"Compressed {acceptEncoding}");
        await Reader.WaitForTitleAsync("/everything.atom", $"Compressed {acceptEncoding}", Soon);

        // A render may land between two requests: the compressed body is compared with the plain one served both before
        // and after it, so that the two are of one document.
        byte[] plain, bytes;
        string? encoding;
        var attempts = 0;
        while (true)
        {
            plain = await Reader.GetByteArrayAsync("/everything.atom");
            using (var response = await SendAsync(HttpMethod.Get, "/everything.atom", acceptEncoding))
            {
                encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
                bytes = await response.Content.ReadAsByteArrayAsync();
            }

            var after = await Reader.GetByteArrayAsync("/everything.atom");
            if (plain.AsSpan().SequenceEqual(after))
            {
                break;
            }

            Assert.True(++attempts < 5, "the firehose changed between every plain and compressed request of five");
        }

        Assert.Equal(contentEncoding, encoding);
        Stream decoded = contentEncoding switch
        {
            "gzip" => new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress),
            "br" => new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress),
            _ => new MemoryStream(bytes),
        };
        using var copy = new MemoryStream();
        await decoded.CopyToAsync(copy);
        Assert.Equal(plain, copy.ToArray());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string acceptEncoding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await Reader.SendAsync(request);
    }
}
