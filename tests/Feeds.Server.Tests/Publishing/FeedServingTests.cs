using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Publishing;
using Dapper;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Publishing;

public sealed class FeedServingTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);
    private readonly FeedsServer _server = new();
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public FeedServingTests()
    {
        _author = _server.CreateAuthorizedClient();
        _reader = _server.CreateClient();
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task The_firehose_shows_published_posts_and_never_drafts_scheduled_or_deleted_ones()
    {
        await _author.PublishAsync("Visible one", "a");
        await _author.CreateAsync(new { url = "https://example.com/d", title = "Draft one", status = "draft" });
        await _author.CreateAsync(new { url = "https://example.com/s", title = "Scheduled one", publishAt = _server.Now.AddDays(1) });
        var deleted = await _author.PublishAsync("Deleted one");
        await _author.DeleteAsync($"/api/posts/{deleted}");
        await _author.PublishAsync("Visible two");

        await _reader.WaitForTitleAsync("/everything.atom", "Visible two", Soon);
        var feed = await _reader.GetAtomAsync("/everything.atom");

        Assert.Equal(["Visible two", "Visible one"], feed.EntryTitles());
    }

    [Theory]
    [InlineData("atom", "application/atom+xml; charset=utf-8")]
    [InlineData("rss", "application/rss+xml; charset=utf-8")]
    [InlineData("json", "application/feed+json; charset=utf-8")]
    public async Task Each_format_is_served_with_its_media_type_and_caching_headers(string format, string mediaType)
    {
        await _author.PublishAsync("Headers");
        await _reader.WaitForTitleAsync($"/everything.{format}", "Headers", Soon);

        var response = await _reader.GetAsync($"/everything.{format}");

        Assert.Equal(mediaType, response.Content.Headers.ContentType!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_failure_inside_a_feed_endpoint_is_answered_with_a_problem_not_a_bare_500()
    {
        // A real failure: the table every tag feed is resolved through is gone from the database under the service.
        await using (var connection = await TestDatabase.OpenAsync(_server.DataDirectory))
        {
            await connection.ExecuteAsync("alter table tags rename to tags_gone");
        }

        await (await _reader.GetAsync("/tags/python.atom")).AssertProblemAsync(500);
    }

    [Fact]
    public async Task A_reader_with_the_current_etag_gets_304_also_when_it_sends_it_back_weak()
    {
        await _author.PublishAsync("Conditional");
        await _reader.WaitForTitleAsync("/everything.atom", "Conditional", Soon);
        var first = await _reader.GetAsync("/everything.atom");
        var etag = first.Headers.ETag!.Tag;

        foreach (var sent in new[] { etag, "W/" + etag, $"\"other\", {etag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
            request.Headers.TryAddWithoutValidation("If-None-Match", sent);
            var response = await _reader.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"stale\"");
        Assert.Equal(HttpStatusCode.OK, (await _reader.SendAsync(stale)).StatusCode);

        using var since = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
        since.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await _reader.SendAsync(since)).StatusCode);
    }

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        await _author.PublishAsync("Head");
        await _reader.WaitForTitleAsync("/everything.atom", "Head", Soon);
        var get = await _reader.GetAsync("/everything.atom");
        var head = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/everything.atom"));

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
        await _author.PublishAsync("Codings");
        await _reader.WaitForTitleAsync("/everything.atom", "Codings", Soon);

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
        await _author.PublishAsync("Revalidated");
        await _reader.WaitForTitleAsync("/everything.atom", "Revalidated", Soon);
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
        await _author.PublishAsync("Compressed");
        await _reader.WaitForTitleAsync("/everything.atom", "Compressed", Soon);
        var plain = await _reader.GetByteArrayAsync("/everything.atom");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await _reader.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(contentEncoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
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

    [Fact]
    public async Task An_unknown_tag_is_404_and_a_combination_no_post_carries_is_a_valid_empty_feed()
    {
        await (await _reader.GetAsync("/tags/no-such-tag.atom")).AssertProblemAsync(404);

        await _author.PublishAsync("Calm", "calm");
        await _author.PublishAsync("Quiet", "quiet");
        var feed = await _reader.GetAtomAsync("/tags/calm+quiet.atom");
        Assert.Empty(feed.EntryIds());
        Assert.NotNull(feed.Link("self"));
    }

    [Fact]
    public async Task A_tag_feed_holds_only_its_posts_and_a_combination_only_posts_with_every_tag()
    {
        await _author.PublishAsync("Python only", "Python");
        await _author.PublishAsync("Python and AI", "Python", "AI");
        await _author.PublishAsync("AI only", "AI");
        // Each feed shows a change once its own render lands; the feeds of one change are not swapped in as one.
        await _reader.WaitForTitleAsync("/tags/ai.atom", "AI only", Soon);
        await _reader.WaitForTitleAsync("/tags/python.atom", "Python and AI", Soon);

        Assert.Equal(["Python and AI", "Python only"], (await _reader.GetAtomAsync("/tags/python.atom")).EntryTitles());
        Assert.Equal(["Python and AI"], (await _reader.GetAtomAsync("/tags/ai+python.atom")).EntryTitles());

        await _author.PublishAsync("Both again", "AI", "Python");
        await _reader.WaitForTitleAsync("/tags/ai+python.atom", "Both again", Soon);
    }

    [Fact]
    public async Task A_combination_in_another_order_redirects_to_the_canonical_one()
    {
        await _author.PublishAsync("x", "b", "a");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        var response = await client.GetAsync("/tags/b+a.json");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/tags/a+b.json", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_renamed_tag_feed_answers_301_to_the_new_one()
    {
        await _author.PublishAsync("ml post", "ML");
        var rename = await _author.PostAsJsonAsync("/api/tags/ml/rename", new { to = "Machine Learning" });
        Assert.True(rename.IsSuccessStatusCode, await rename.Content.ReadAsStringAsync());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };

        var response = await client.GetAsync("/tags/ml.rss");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/tags/machine-learning.rss", response.Headers.Location!.ToString());
        await _reader.WaitForTitleAsync("/tags/machine-learning.atom", "ml post", Soon);
    }

    [Fact]
    public async Task Entry_ids_never_change_when_a_post_is_edited()
    {
        var id = await _author.PublishAsync("Original title");
        await _reader.WaitForTitleAsync("/everything.atom", "Original title", Soon);
        var before = (await _reader.GetAtomAsync("/everything.atom")).EntryIds().Single();

        await _author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.org/moved", title = "Edited title" });
        await _reader.WaitForTitleAsync("/everything.atom", "Edited title", Soon);

        Assert.Equal(before, (await _reader.GetAtomAsync("/everything.atom")).EntryIds().Single());
    }

    [Fact]
    public async Task Older_entries_are_reached_by_following_next_links_and_archives_chain_back()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "3" });
        var author = server.CreateAuthorizedClient();
        var reader = server.CreateClient();
        for (var i = 0; i < 7; i++)
        {
            await author.CreateAsync(new { url = $"https://example.com/{i}", title = $"Post {i}", publishAt = new DateTimeOffset(2026, 9 + (i / 3), 10 + i, 0, 0, 0, TimeSpan.Zero) });
        }

        await reader.WaitForTitleAsync("/everything.atom", "Post 6", Soon);

        var titles = new List<string>();
        string? next = "/everything.atom";
        while (next is not null)
        {
            var page = await reader.GetAtomAsync(next);
            titles.AddRange(page.EntryTitles());
            next = page.Link("next");
        }

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"Post {i}"), titles);

        var archived = new List<string>();
        string? archive = (await reader.GetAtomAsync("/everything.atom")).Link("prev-archive");
        while (archive is not null)
        {
            var document = await reader.GetAtomAsync(archive);
            Assert.NotNull(document.Root!.Element((System.Xml.Linq.XNamespace)"http://purl.org/syndication/history/1.0" + "archive"));
            Assert.NotNull(document.Link("current"));
            archived.AddRange(document.EntryTitles());
            archive = document.Link("prev-archive");
        }

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"Post {i}"), archived);
    }

    [Fact]
    public async Task A_restarted_server_serves_the_stored_feeds_without_rendering_them_again()
    {
        var dataDirectory = TempDirectory.Create();
        string etag;
        int port;
        using (var first = new FeedsServer(dataDirectory))
        {
            port = first.Address.Port;
            await first.CreateAuthorizedClient().PublishAsync("Persisted", "kept");
            // The new tag's first reader may render it before regeneration gets to the firehose: wait for both.
            await first.CreateClient().WaitForTitleAsync("/tags/kept.atom", "Persisted", Soon);
            await first.CreateClient().WaitForTitleAsync("/everything.atom", "Persisted", Soon);
            etag = (await first.CreateClient().GetAsync("/everything.atom")).Headers.ETag!.Tag;
        }

        using var restarted = new FeedsServer(dataDirectory, port: port);
        var publisher = restarted.Services.GetRequiredService<FeedPublisher>();
        Assert.Empty(await publisher.RegenerateDirtyAsync(CancellationToken.None));
        Assert.Equal(etag, (await restarted.CreateClient().GetAsync("/everything.atom")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Changing_how_the_site_presents_itself_renders_every_feed_again()
    {
        var dataDirectory = TempDirectory.Create();
        int port;
        using (var first = new FeedsServer(dataDirectory))
        {
            port = first.Address.Port;
            await first.CreateAuthorizedClient().PublishAsync("Retitled", "t");
            await first.CreateClient().WaitForTitleAsync("/tags/t.atom", "Retitled", Soon);
        }

        // Every stored document is rendered again, at rendering's pace: how soon is not what this asks.
        using var renamed = new FeedsServer(dataDirectory, new Dictionary<string, string?> { ["Feeds:Publishing:Title"] = "New site name" }, port);
        await renamed.CreateClient().WaitForTitleAsync("/tags/t.atom", "New site name", TimeSpan.FromSeconds(30));
        await renamed.CreateClient().WaitForTitleAsync("/everything.atom", "New site name", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_change_marks_only_the_feeds_it_belongs_to()
    {
        await _author.PublishAsync("seed", "a", "b", "c");
        await _reader.GetAsync("/tags/a+b.atom");
        await _reader.GetAsync("/tags/c+d.atom");
        await _author.PublishAsync("seed d", "d");
        await _reader.GetAsync("/tags/c+d.atom");
        var regeneration = _server.Services.GetRequiredService<FeedRegeneration>();
        var post = await _server.Services.GetRequiredService<Feeds.Data.Posts.PostQueries>()
            .GetAsync(Guid.Parse(await _author.PublishAsync("change", "a", "b")), CancellationToken.None);

        var affected = regeneration.AffectedFeeds([new Feeds.Data.Posts.PostChange(null, post)]);

        Assert.Equal(["everything", "tag:a", "tag:a+b", "tag:b"], affected.Order(StringComparer.Ordinal));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string acceptEncoding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await _reader.SendAsync(request);
    }
}
