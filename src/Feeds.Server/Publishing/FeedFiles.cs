using System.Collections.Concurrent;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Publishing;

/// <summary>
/// The directory of current feed documents that a front server (nginx, a CDN's origin, an object-store sync) serves
/// without asking a node: <c>everything.atom</c>, <c>tags/python.rss</c>, <c>tags/ai+llms.json</c>,
/// <c>site/example.com.atom</c>, the request paths of
/// the subscription documents, each with <c>.gz</c> and <c>.br</c> siblings. Kept in step with the database by every
/// node: with each document it renders, each one another node rendered (PostgreSQL's notifications) and, at start-up,
/// each stored one. Off unless <see cref="PublishingOptions.StaticDirectory"/> is set.
/// </summary>
/// <remarks>
/// A file is replaced whole: written to a temporary file in the same directory and renamed over the old one, so a reader
/// gets the old bytes or the new. Its modification time is the document's <c>Last-Modified</c>, so a front server's
/// validators (nginx's <c>ETag</c> is made of the time and the size) are the same on every node that wrote the same
/// document.
/// </remarks>
public sealed partial class FeedFiles(IOptions<PublishingOptions> options, ILogger<FeedFiles> logger)
{
    private readonly string? _root = string.IsNullOrWhiteSpace(options.Value.StaticDirectory) ? null : Path.GetFullPath(options.Value.StaticDirectory);

    /// <summary>What each file holds, as far as this process wrote it: its feed, its ETag and the render it came from.</summary>
    private readonly ConcurrentDictionary<string, (string FeedKey, string ETag, long Sequence)> _written = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();

    public bool Enabled => _root is not null;

    /// <summary>The path of a feed's document below the directory, as a request names it: <c>tags/a+b.atom</c>.</summary>
    public static string RelativePath(string feedKey, string extension) =>
        FeedKey.SiteOf(feedKey) is { } site ? $"site/{site}.{extension}"
        : FeedKey.TrySlugsOf(feedKey, out var slugs) && slugs.Length > 0 ? $"tags/{string.Join('+', slugs)}.{extension}"
        : $"everything.{extension}";

    /// <summary>Whether the file of <paramref name="feedKey"/> in <paramref name="format"/> holds the document with <paramref name="etag"/> (always, with no directory).</summary>
    public bool IsCurrent(string feedKey, string format, string etag) =>
        _root is null || (_written.TryGetValue(Path.Combine(_root, RelativePath(feedKey, format)), out var held) && held.ETag == etag);

    /// <summary>Every feed this process wrote a file of.</summary>
    public IEnumerable<string> WrittenKeys => _written.Values.Select(w => w.FeedKey);

    /// <summary>Writes <paramref name="feed"/> unless its file holds it, or a newer render of it, already.</summary>
    public void Write(RenderedFeed feed)
    {
        if (_root is null)
        {
            return;
        }

        var path = Path.Combine(_root, RelativePath(feed.FeedKey, feed.Writer.FileExtension));
        lock (_lock)
        {
            if (_written.TryGetValue(path, out var held) && (held.ETag == feed.ETag || (held.Sequence > feed.Sequence && feed.Sequence > 0)))
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // The compressed siblings first: a client that asks for one gets a document no older than the plain one.
                Replace(path + ".gz", feed.Gzip, feed.LastModified);
                Replace(path + ".br", feed.Brotli, feed.LastModified);
                Replace(path, feed.Body, feed.LastModified);
                _written[path] = (feed.FeedKey, feed.ETag, feed.Sequence);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _written.TryRemove(path, out _);
                LogWriteFailed(logger, path, e);
            }
        }
    }

    /// <summary>Removes the files of a feed that no longer exists, so the front server passes its requests to a node.</summary>
    public void Delete(string feedKey)
    {
        if (_root is null)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var writer in FeedWriters.All)
            {
                var path = Path.Combine(_root, RelativePath(feedKey, writer.FileExtension));
                foreach (var file in new[] { path, path + ".gz", path + ".br" })
                {
                    File.Delete(file);
                }

                _written.TryRemove(path, out _);
            }
        }
    }

    /// <summary>At start-up: every stored document into the directory, unless its file holds the same bytes already.</summary>
    public async Task SyncAsync(FeedStore store, CancellationToken cancellationToken)
    {
        if (_root is null)
        {
            return;
        }

        Directory.CreateDirectory(_root);
        foreach (var key in await store.ListKeysAsync(cancellationToken))
        {
            foreach (var stored in await store.LoadAllAsync(key, cancellationToken))
            {
                var feed = RenderedFeed.FromStored(stored);
                var path = Path.Combine(_root, RelativePath(feed.FeedKey, feed.Writer.FileExtension));
                if (File.Exists(path + ".gz") && File.Exists(path + ".br") && File.Exists(path)
                    && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(feed.Body))
                {
                    _written.TryAdd(path, (feed.FeedKey, feed.ETag, 0));
                    continue;
                }

                Write(feed);
            }
        }
    }

    private static void Replace(string path, byte[] bytes, DateTimeOffset lastModified)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.SetLastWriteTimeUtc(temporary, lastModified.UtcDateTime);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the feed file {Path}; the front server passes its requests on, or serves the previous document")]
    private static partial void LogWriteFailed(ILogger logger, string path, Exception exception);
}
