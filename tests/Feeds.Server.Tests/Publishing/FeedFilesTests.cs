using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// <c>Feeds:Publishing:StaticDirectory</c>: the node keeps the current feed documents as files at their request paths,
/// each with gzip and Brotli siblings, for a front server to serve.
/// </summary>
public sealed class FeedFilesTests
{
    [Fact]
    public async Task A_publish_writes_its_feeds_as_files_with_compressed_siblings_dated_by_their_last_modified()
    {
        var directory = Path.Combine(TempDirectory.Create(), "static");
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Publishing:StaticDirectory"] = directory });
        using var author = server.CreateAuthorizedClient();

        await author.CreateAsync(Infrastructure.Posts.Valid("On disk", "files"));

        var path = Path.Combine(directory, "tags", "files.atom");
        await WaitUntilAsync(() => File.Exists(path) && File.ReadAllText(path).Contains("On disk", StringComparison.Ordinal));
        var served = await server.CreateClient().GetAsync("/tags/files.atom");
        var body = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.Equal(body, Decompress(new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress)));
        Assert.Equal(body, Decompress(new BrotliStream(File.OpenRead(path + ".br"), CompressionMode.Decompress)));
        Assert.Equal(served.Content.Headers.LastModified!.Value.UtcDateTime, File.GetLastWriteTimeUtc(path));
        Assert.True(File.Exists(Path.Combine(directory, "everything.json")));
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_feed_that_no_longer_exists_loses_its_files()
    {
        var directory = Path.Combine(TempDirectory.Create(), "static");
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Publishing:StaticDirectory"] = directory });
        using var author = server.CreateAuthorizedClient();
        var post = await author.CreateAsync(Infrastructure.Posts.Valid("Soon untagged", "fleeting"));
        var path = Path.Combine(directory, "tags", "fleeting.rss");
        await WaitUntilAsync(() => File.Exists(path));

        (await author.PatchAsJsonAsync($"/api/posts/{post.GetProperty("id").GetString()}", new { tags = Array.Empty<string>() })).EnsureSuccessStatusCode();

        await WaitUntilAsync(() => !File.Exists(path) && !File.Exists(path + ".gz") && !File.Exists(path + ".br"));
    }

    [Fact]
    public async Task At_start_a_node_rewrites_files_that_differ_from_the_stored_documents()
    {
        var directory = Path.Combine(TempDirectory.Create(), "static");
        var settings = new Dictionary<string, string?> { ["Feeds:Publishing:StaticDirectory"] = directory };
        var dataDirectory = TempDirectory.Create();
        var path = Path.Combine(directory, "everything.atom");
        using (var first = new FeedsServer(dataDirectory, settings))
        {
            await first.CreateAuthorizedClient().CreateAsync(Infrastructure.Posts.Valid("Stored", "files"));
            await WaitUntilAsync(() => File.Exists(path) && File.ReadAllText(path).Contains("Stored", StringComparison.Ordinal));
        }

        await File.WriteAllTextAsync(path, "stale");
        File.Delete(path + ".br");

        using var second = new FeedsServer(dataDirectory, settings);
        var body = await second.CreateClient().GetByteArrayAsync("/everything.atom");

        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.True(File.Exists(path + ".br"));
    }

    private static byte[] Decompress(Stream stream)
    {
        using (stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the feed files did not change within 10 s");
            await Task.Delay(20);
        }
    }
}
