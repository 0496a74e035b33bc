using System.Buffers;
using BenchmarkDotNet.Attributes;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;

namespace Feeds.Benchmarks;

/// <summary>
/// One 50-entry feed with about 1 KB of HTML per entry, the shape of Django's Atom1Feed reference timing
/// (shared/tools/bench/django-atom-bench.py), so the two figures compare like with like.
/// </summary>
[MemoryDiagnoser]
public class FeedRenderingBenchmarks
{
    private const int EntryCount = 50;
    private const int CommentaryBytes = 870;

    private static readonly string[] Words =
    [
        "the", "program", "license", "software", "free", "source", "code", "work", "covered", "you", "may",
        "convey", "modify", "terms", "conditions", "copyright", "holder", "permission", "distribute", "object",
        "form", "section", "patent", "rights", "recipients", "version", "public", "general", "notice", "warranty",
    ];

    private readonly ArrayBufferWriter<byte> _buffer = new(128 * 1024);
    private FeedComposer _composer = null!;
    private IReadOnlyList<Post> _posts = null!;
    private FeedDocument _document = null!;
    private FeedPage _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        _composer = new FeedComposer(new FeedSite
        {
            BaseUrl = "https://example.org",
            Title = "Bench feed",
            Subtitle = "bench",
            Author = new FeedPerson("Jane Doe"),
            IdAuthority = "example.org",
            IdDate = new DateOnly(2025, 1, 1),
        });
        _page = new FeedPage { SelfUrl = "https://example.org/everything.atom" };
        _posts = CreatePosts();
        _document = _composer.Compose(FeedKey.Everything, _posts, _page, DateTimeOffset.UnixEpoch);
    }

    /// <summary>What Django's figure measures: from the posts to the serialised bytes.</summary>
    [Benchmark(Baseline = true)]
    public int ComposeAndWriteAtom()
    {
        _buffer.ResetWrittenCount();
        FeedWriters.Atom.Write(_composer.Compose(FeedKey.Everything, _posts, _page, DateTimeOffset.UnixEpoch), _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int WriteAtom() => Write(FeedWriters.Atom);

    [Benchmark]
    public int WriteRss() => Write(FeedWriters.Rss);

    [Benchmark]
    public int WriteJson() => Write(FeedWriters.Json);

    private int Write(IFeedWriter writer)
    {
        _buffer.ResetWrittenCount();
        writer.Write(_document, _buffer);
        return _buffer.WrittenCount;
    }

    public static IReadOnlyList<Post> CreatePosts()
    {
        var random = new Random(4287);
        var newest = new DateTimeOffset(2025, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var posts = new List<Post>(EntryCount);
        for (var i = 0; i < EntryCount; i++)
        {
            var html = Commentary(random);
            var at = newest.AddHours(-i);
            posts.Add(new Post
            {
                Id = new Guid(i, 0, 0, new byte[8]),
                Slug = $"entry-number-{i}",
                Url = $"https://example.org/posts/{i}",
                Title = $"Entry number {i} <with> & specials",
                Commentary = html,
                CommentaryHtml = html,
                Tags = [new Tag("dotnet", "dotnet"), new Tag($"tag{i % 7}", $"tag{i % 7}")],
                Status = PostStatus.Published,
                CreatedAt = at,
                UpdatedAt = at,
                PublishedAt = at,
            });
        }

        return posts;
    }

    /// <summary>Whole paragraphs of varied words with some inline markup, as in the Django reference.</summary>
    private static string Commentary(Random random)
    {
        var html = new System.Text.StringBuilder(CommentaryBytes + 400);
        while (html.Length < CommentaryBytes)
        {
            var count = random.Next(25, 50);
            html.Append("<p>");
            for (var w = 0; w < count; w++)
            {
                var word = Words[random.Next(Words.Length)];
                html.Append(w switch
                {
                    0 => word,
                    3 => " <b>" + word + "</b>",
                    8 => " <a href=\"https://example.org/x?a=1&amp;b=2\">" + word + "</a>",
                    _ => " " + word,
                });
            }

            html.Append("</p>\n");
        }

        return html.ToString();
    }
}
