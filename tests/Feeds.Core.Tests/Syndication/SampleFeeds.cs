using Feeds.Core.Posts;
using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

/// <summary>A fixed site and posts covering what feeds must carry: via, several tags, markup and non-ASCII text.</summary>
internal static class SampleFeeds
{
    public const string BaseUrl = "https://links.example.org";

    public static readonly Tag Python = new("python", "Python");
    public static readonly Tag Ai = new("ai", "AI");
    public static readonly Tag Llms = new("llms", "LLMs");
    public static readonly Tag Japanese = new("日本語", "日本語");

    public static readonly DateTimeOffset EmptyFeedUpdated = new(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static FeedSite Site { get; } = new()
    {
        BaseUrl = BaseUrl,
        Title = "Example Links",
        Subtitle = "Links worth reading, with commentary",
        Author = new FeedPerson("Jane Doe", "https://jane.example.org/"),
        IconUrl = BaseUrl + "/icon.png",
        IdAuthority = "links.example.org",
        IdDate = new DateOnly(2025, 1, 1),
        Generator = new FeedGenerator("Feeds", "https://feeds.example.org/", "1.0.0"),
    };

    public static FeedComposer Composer { get; } = new(Site);

    /// <summary>Newest first, as feeds list them.</summary>
    public static IReadOnlyList<Post> Posts { get; } =
    [
        Published(
            id: "6f1c2a1e-3b4d-4c5e-8f90-0a1b2c3d4e5f",
            slug: "attention-is-all-you-need-again",
            url: "https://arxiv.example.org/abs/1706.03762?v=7&format=html",
            title: "Attention <is> all you need & then some",
            commentaryHtml: "<p>A \"classic\" worth re-reading &amp; annotating.</p>\n<blockquote><p>Quoted <em>text</em>.</p></blockquote>",
            tags: [Python, Ai, Llms],
            via: new Via("https://news.example.com/item?id=42&ref=rss", "Example News"),
            created: new DateTimeOffset(2025, 11, 20, 9, 15, 0, TimeSpan.Zero),
            published: new DateTimeOffset(2025, 11, 20, 9, 30, 0, TimeSpan.Zero),
            updated: new DateTimeOffset(2025, 11, 22, 18, 45, 10, TimeSpan.Zero)),
        Published(
            id: "0b9e8d7c-6a5b-4c3d-9e2f-1a0b9c8d7e6f",
            slug: "cafe-unicode",
            url: "https://blog.example.net/caf%C3%A9/ünïcödé",
            title: "Café — ünïcödé 🎉 \u200Fשלום\u200E and emoji",
            commentaryHtml: "<p>Non-ASCII survives: 日本語, Ελληνικά, 🎉.</p>",
            tags: [Japanese],
            via: new Via("https://mastodon.example/@someone/1", null),
            created: new DateTimeOffset(2025, 11, 18, 23, 59, 59, TimeSpan.Zero),
            published: new DateTimeOffset(2025, 11, 19, 1, 0, 0, TimeSpan.FromHours(2)),
            updated: new DateTimeOffset(2025, 11, 18, 22, 30, 0, TimeSpan.Zero)),
        Published(
            id: "a3b2c1d0-e9f8-4a7b-8c6d-5e4f3a2b1c0d",
            slug: "python-3-14",
            url: "https://docs.example.org/whatsnew/3.14.html",
            title: "What's new in Python 3.14",
            commentaryHtml: "<p>Template strings and a <a href=\"/2025/11/01/older-post\">follow-up</a> to an older post.</p>",
            tags: [Python],
            via: null,
            created: new DateTimeOffset(2025, 11, 10, 8, 0, 0, TimeSpan.Zero),
            published: new DateTimeOffset(2025, 11, 10, 8, 0, 0, TimeSpan.Zero),
            updated: new DateTimeOffset(2025, 11, 10, 8, 0, 0, TimeSpan.Zero)),
        Published(
            id: "11111111-2222-4333-8444-555555555555",
            slug: "just-a-link",
            url: "https://example.com/",
            title: "Just a link",
            commentaryHtml: string.Empty,
            tags: [],
            via: null,
            created: new DateTimeOffset(2025, 11, 5, 12, 0, 0, TimeSpan.Zero),
            published: new DateTimeOffset(2025, 11, 5, 12, 0, 0, TimeSpan.Zero),
            updated: new DateTimeOffset(2025, 11, 6, 12, 0, 0, TimeSpan.Zero)),
    ];

    /// <summary>A site on an internationalised domain, whose ids, links and tags all hold non-ASCII text.</summary>
    public static FeedSite InternationalSite { get; } = Site with
    {
        BaseUrl = "https://例え.テスト",
        IconUrl = "https://例え.テスト/アイコン.png",
        Author = new FeedPerson("Jane Doe", "https://ジェーン.例え.テスト/"),
        IdAuthority = "例え.テスト",
    };

    public static readonly Tag UnicodeCafe = new("unicøde-cafe", "Unicøde Café");

    /// <summary>A post of <see cref="UnicodeCafe"/> linking an internationalised host with a non-ASCII path and query, via another.</summary>
    public static Post InternationalPost { get; } = Published(
        id: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
        slug: "tesuto",
        url: "https://例え.テスト/パス/ページ?q=ø&r=1#ここ",
        title: "An internationalised link",
        commentaryHtml: "<p>Read it.</p>",
        tags: [UnicodeCafe],
        via: new Via("https://bücher.example/über", null),
        created: new DateTimeOffset(2025, 10, 2, 8, 0, 0, TimeSpan.Zero),
        published: new DateTimeOffset(2025, 10, 2, 9, 0, 0, TimeSpan.Zero),
        updated: new DateTimeOffset(2025, 10, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The international site's archive of <see cref="UnicodeCafe"/>'s only month: it links the subscription document.</summary>
    public static FeedDocument InternationalArchive(IFeedWriter writer)
    {
        var ext = writer.FileExtension;
        return new FeedComposer(InternationalSite).Compose(
            FeedKey.ForTags(UnicodeCafe),
            [InternationalPost],
            new FeedPage
            {
                SelfUrl = $"https://例え.テスト/tags/unicøde-cafe/archive/2025/10.{ext}",
                CurrentUrl = $"https://例え.テスト/tags/unicøde-cafe.{ext}",
                IsArchive = true,
            },
            EmptyFeedUpdated);
    }

    /// <summary>The documents the golden files and the external checkers cover.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["everything", "tag-python", "empty", "paged", "archive"];

    public static FeedDocument Scenario(string name, IFeedWriter writer)
    {
        var ext = writer.FileExtension;
        var pythonKey = FeedKey.ForTags(Python);
        return name switch
        {
            "everything" => Composer.Compose(
                FeedKey.Everything, Posts, new FeedPage { SelfUrl = $"{BaseUrl}/everything.{ext}" }, EmptyFeedUpdated),
            "tag-python" => Composer.Compose(
                pythonKey,
                Posts.Where(p => p.Tags.Contains(Python)),
                new FeedPage { SelfUrl = $"{BaseUrl}/tags/python.{ext}" },
                EmptyFeedUpdated),
            "empty" => Composer.Compose(
                FeedKey.ForTags(Ai, Python, Japanese),
                [],
                new FeedPage { SelfUrl = $"{BaseUrl}/tags/ai+python+%E6%97%A5%E6%9C%AC%E8%AA%9E.{ext}" },
                EmptyFeedUpdated),
            "paged" => Composer.Compose(
                FeedKey.Everything,
                Posts.Skip(1).Take(2),
                new FeedPage
                {
                    SelfUrl = $"{BaseUrl}/everything.{ext}?page=2",
                    FirstUrl = $"{BaseUrl}/everything.{ext}",
                    PreviousUrl = $"{BaseUrl}/everything.{ext}",
                    NextUrl = $"{BaseUrl}/everything.{ext}?page=3",
                },
                EmptyFeedUpdated),
            "archive" => Composer.Compose(
                FeedKey.Everything,
                Posts.Skip(2),
                new FeedPage
                {
                    SelfUrl = $"{BaseUrl}/archive/2025/11/everything.{ext}",
                    CurrentUrl = $"{BaseUrl}/everything.{ext}",
                    PrevArchiveUrl = $"{BaseUrl}/archive/2025/10/everything.{ext}",
                    NextArchiveUrl = $"{BaseUrl}/archive/2025/12/everything.{ext}",
                    IsArchive = true,
                },
                EmptyFeedUpdated),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such scenario"),
        };
    }

    public static Post Published(
        string id,
        string slug,
        string url,
        string title,
        string commentaryHtml,
        IReadOnlyList<Tag> tags,
        Via? via,
        DateTimeOffset created,
        DateTimeOffset published,
        DateTimeOffset updated) => new()
        {
            Id = Guid.Parse(id),
            Slug = slug,
            Url = url,
            Title = title,
            Commentary = commentaryHtml,
            CommentaryHtml = commentaryHtml,
            Tags = tags,
            Via = via,
            Status = PostStatus.Published,
            CreatedAt = created,
            UpdatedAt = updated,
            PublishedAt = published,
        };
}
