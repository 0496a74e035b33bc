using Feeds.Contracts.Posts;
using Feeds.Core.Parsing;
using Feeds.Core.Posts;
using Feeds.Core.Sources;
using Feeds.Core.Text;

namespace Feeds.Core.Tests.Sources;

public sealed class ItemPostsTests
{
    private static readonly SourcePostSettings Publish = new("Example", "https://example.org/feed.xml", "https://example.org/", ["Mine"], SourceMode.Publish, MapCategoriesToTags: true);

    private static ParsedItem Item(string? title = "A title", string? summary = null, string? url = "https://example.org/posts/1", params string[] categories) => new()
    {
        Title = title,
        Url = url is null ? null : new Uri(url),
        SummaryHtml = summary,
        Categories = [.. categories.Select(c => new ParsedCategory(c))],
        DedupeKey = url ?? "key",
    };

    [Theory]
    [InlineData("<img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">")]
    [InlineData("<img src=\"https://t.example/p.gif\" width=\"0\">")]
    [InlineData("<img src=\"https://t.example/p.gif\" height=\"1px\">")]
    [InlineData("<img src=\"\">")]
    public void Tracking_pixels_and_empty_images_are_dropped_from_quotes(string pixel)
    {
        var quote = QuotedHtml.Quote($"<p>Text</p>{pixel}", new Uri("https://example.org/"), 10_000);

        Assert.Equal("<blockquote><p>Text</p></blockquote>", quote);
    }

    [Fact]
    public void A_quote_is_one_line_with_absolute_urls_and_nothing_active()
    {
        var quote = QuotedHtml.Quote(
            "<p>One\n\n<a href=\"../two\" onclick=\"x()\">two</a></p>\n<script>bad()</script><img src=\"/i.png\" width=\"300\">",
            new Uri("https://example.org/posts/1"),
            10_000);

        Assert.Equal("<blockquote><p>One <a href=\"https://example.org/two\">two</a></p> <img src=\"https://example.org/i.png\" width=\"300\"></blockquote>", quote);
    }

    [Fact]
    public void A_quote_too_long_falls_back_to_a_plain_text_excerpt()
    {
        var input = ItemPosts.ToInput(Item(summary: "<p>" + string.Join(' ', Enumerable.Repeat("word", 10_000)) + "</p>"), Publish);

        Assert.StartsWith("<blockquote><p>word word", input.Commentary);
        Assert.EndsWith("…</p></blockquote>", input.Commentary);
        Assert.True(input.Commentary!.Length < 1_000);
    }

    [Fact]
    public void A_published_item_becomes_a_valid_published_post_via_the_source()
    {
        var content = PostRules.Validate(ItemPosts.ToInput(Item(summary: "<p>Hi</p>", categories: ["Python"]), Publish), new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), out var errors);

        Assert.Empty(errors);
        Assert.NotNull(content);
        Assert.Equal(PostStatus.Published, content.Status);
        Assert.Equal(new Via("https://example.org/", "Example"), content.Via);
        Assert.Equal(["mine", "python"], content.Tags.Select(t => t.Slug));
        Assert.Equal("<blockquote><p>Hi</p></blockquote>", content.Commentary);
    }

    [Fact]
    public void A_draft_leaves_the_commentary_to_the_author()
    {
        var input = ItemPosts.ToInput(Item(summary: "<p>Hi</p>"), Publish with { Mode = SourceMode.Draft });

        Assert.Null(input.Commentary);
        Assert.Equal(PostStatusNames.Draft, input.Status);
    }

    [Theory]
    [InlineData(null, "<p>The start of the text, which stands in for a title.</p>", "https://example.org/a", "The start of the text, which stands in for a title.")]
    [InlineData(null, null, "https://example.org/a/b/", "example.org/a/b")]
    [InlineData("  Spaced\u0007  title ", null, "https://example.org/a", "Spaced title")]
    public void A_missing_title_falls_back_to_the_text_then_the_link(string? title, string? summary, string url, string expected)
    {
        Assert.Equal(expected, ItemPosts.TitleOf(Item(title, summary, url)));
    }

    [Fact]
    public void The_content_hash_changes_with_the_content_and_only_then()
    {
        var item = Item(summary: "<p>one</p>");

        Assert.Equal(ItemPosts.ContentHash(item), ItemPosts.ContentHash(item with { }));
        Assert.NotEqual(ItemPosts.ContentHash(item), ItemPosts.ContentHash(item with { SummaryHtml = "<p>two</p>" }));
        Assert.NotEqual(ItemPosts.ContentHash(item), ItemPosts.ContentHash(item with { Title = "Another" }));
    }

    private static readonly ParsedEnclosure Episode = new(new Uri("https://hive.example/audio/ep%201.mp3"), "audio/mpeg", 31_457_280);

    [Fact]
    public void A_draft_lists_the_items_enclosures_in_its_commentary()
    {
        var input = ItemPosts.ToInput(Item(summary: "<p>Hi</p>") with { Enclosures = [Episode, new ParsedEnclosure(new Uri("https://hive.example/notes.pdf"), null, null)] }, Publish with { Mode = SourceMode.Draft });

        Assert.Equal("Attached:\n\n- [ep 1\\.mp3](<https://hive.example/audio/ep%201.mp3>) (audio/mpeg, 30 MB)\n- [notes\\.pdf](<https://hive.example/notes.pdf>)", input.Commentary);
    }

    [Fact]
    public void A_published_post_quotes_the_summary_then_lists_the_enclosures()
    {
        var content = PostRules.Validate(
            ItemPosts.ToInput(Item(summary: "<p>Hi</p>") with { Enclosures = [Episode] }, Publish),
            new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
            out var errors);

        Assert.Empty(errors);
        Assert.StartsWith("<blockquote><p>Hi</p></blockquote>\n\nAttached:", content!.Commentary, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://hive.example/audio/ep%201.mp3\">ep 1.mp3</a> (audio/mpeg, 30 MB)", new CommentaryRenderer().Render(content.Commentary), StringComparison.Ordinal);
    }

    [Fact]
    public void An_enclosure_named_like_markdown_or_html_shows_as_its_name()
    {
        var named = new ParsedEnclosure(new Uri("https://hive.example/%3Cb%3E*x*%5D(y).mp3"), "audio/<i>", null);
        var content = PostRules.Validate(
            ItemPosts.ToInput(Item() with { Enclosures = [named] }, Publish with { Mode = SourceMode.Draft }),
            new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
            out _);

        Assert.Contains("&lt;b&gt;*x*](y).mp3</a> (audio/&lt;i&gt;)", new CommentaryRenderer().Render(content!.Commentary), StringComparison.Ordinal);
    }

    [Fact]
    public void Enclosures_change_the_content_hash_and_their_absence_keeps_it()
    {
        var plain = Item(summary: "<p>Hi</p>");
        Assert.NotEqual(ItemPosts.ContentHash(plain), ItemPosts.ContentHash(plain with { Enclosures = [Episode] }));
        Assert.Equal(ItemPosts.ContentHash(plain), ItemPosts.ContentHash(plain with { Enclosures = [] }));
    }
}
