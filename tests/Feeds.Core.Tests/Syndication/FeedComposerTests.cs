using Feeds.Core.Posts;
using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

public sealed class FeedComposerTests
{
    private static readonly Post Sample = SampleFeeds.Posts[0];
    private static readonly DateTimeOffset Fallback = SampleFeeds.EmptyFeedUpdated;

    [Fact]
    public void Entry_id_is_a_tag_uri_of_the_creation_day_and_the_post_id() =>
        Assert.Equal(
            "tag:links.example.org,2025-11-20:post:6f1c2a1e-3b4d-4c5e-8f90-0a1b2c3d4e5f",
            SampleFeeds.Composer.ComposeEntry(Sample).Id);

    [Fact]
    public void Ids_of_a_site_on_an_internationalised_domain_name_it_in_punycode()
    {
        var composer = new FeedComposer(SampleFeeds.InternationalSite);

        Assert.Equal("tag:xn--r8jz45g.xn--zckzah,2025-10-02:post:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", composer.EntryId(SampleFeeds.InternationalPost));
        Assert.Equal("tag:xn--r8jz45g.xn--zckzah,2025-01-01:feed:tag:unic%C3%B8de-cafe", composer.FeedId(FeedKey.ForTags(SampleFeeds.UnicodeCafe)));
    }

    [Fact]
    public void Links_in_content_carry_punycode_hosts_and_percent_encoded_paths()
    {
        var content = new FeedComposer(SampleFeeds.InternationalSite).ComposeEntry(SampleFeeds.InternationalPost).ContentHtml;

        Assert.Contains("<a href=\"https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9/%E3%83%9A%E3%83%BC%E3%82%B8?q=%C3%B8&amp;r=1#%E3%81%93%E3%81%93\">", content, StringComparison.Ordinal);
        Assert.Contains("(via <a href=\"https://xn--bcher-kva.example/%C3%BCber\">", content, StringComparison.Ordinal);
        Assert.Contains("<a rel=\"tag\" href=\"https://xn--r8jz45g.xn--zckzah/tags/unic%C3%B8de-cafe\">", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_title_and_link_of_a_post_keeps_its_entry_id()
    {
        var edited = Sample with
        {
            Title = "A completely new title",
            Url = "https://elsewhere.example.com/moved",
            Slug = "a-completely-new-title",
            UpdatedAt = Sample.UpdatedAt.AddDays(3),
        };

        var before = SampleFeeds.Composer.ComposeEntry(Sample);
        var after = SampleFeeds.Composer.ComposeEntry(edited);

        Assert.Equal(before.Id, after.Id);
        Assert.NotEqual(before.RelatedUrl, after.RelatedUrl);
    }

    [Fact]
    public void Entry_updated_is_never_earlier_than_published()
    {
        var post = Sample with { UpdatedAt = Sample.PublishedAt!.Value.AddHours(-5) };
        var entry = SampleFeeds.Composer.ComposeEntry(post);
        Assert.Equal(entry.Published, entry.Updated);
    }

    [Fact]
    public void Entry_dates_are_in_utc()
    {
        var entry = SampleFeeds.Composer.ComposeEntry(SampleFeeds.Posts[1]);
        Assert.Equal(TimeSpan.Zero, entry.Published.Offset);
        Assert.Equal(new DateTimeOffset(2025, 11, 18, 23, 0, 0, TimeSpan.Zero), entry.Published);
    }

    [Fact]
    public void Alternate_link_is_the_permalink_and_related_link_the_target_by_default()
    {
        var entry = SampleFeeds.Composer.ComposeEntry(Sample);
        Assert.Equal("https://links.example.org/2025/11/20/attention-is-all-you-need-again", entry.AlternateUrl);
        Assert.Equal(Sample.Url, entry.RelatedUrl);
    }

    [Fact]
    public void Alternate_link_is_the_target_when_the_site_chooses_so()
    {
        var composer = new FeedComposer(SampleFeeds.Site with { EntryAlternateLink = EntryLink.Target });
        Assert.Equal(Sample.Url, composer.ComposeEntry(Sample).AlternateUrl);
    }

    [Fact]
    public void Each_tag_becomes_a_category_with_slug_term_display_label_and_tag_page_scheme()
    {
        var entry = SampleFeeds.Composer.ComposeEntry(SampleFeeds.Posts[1]);
        var category = Assert.Single(entry.Categories);
        Assert.Equal(new FeedCategory("日本語", "日本語", "https://links.example.org/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E"), category);
    }

    [Fact]
    public void Content_is_the_commentary_then_the_encoded_link_with_via_then_the_tag_links()
    {
        var html = SampleFeeds.Composer.ComposeEntry(Sample).ContentHtml;
        Assert.StartsWith(Sample.CommentaryHtml, html, StringComparison.Ordinal);
        Assert.Contains(
            "<p><a href=\"https://arxiv.example.org/abs/1706.03762?v=7&amp;format=html\">Attention &lt;is&gt; all you need &amp; then some</a>" +
            " (via <a href=\"https://news.example.com/item?id=42&amp;ref=rss\">Example News</a>)</p>",
            html,
            StringComparison.Ordinal);
        Assert.EndsWith(
            "<p>Tags: <a rel=\"tag\" href=\"https://links.example.org/tags/python\">Python</a>, " +
            "<a rel=\"tag\" href=\"https://links.example.org/tags/ai\">AI</a>, " +
            "<a rel=\"tag\" href=\"https://links.example.org/tags/llms\">LLMs</a></p>",
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Via_without_a_title_is_named_by_its_host() =>
        Assert.Contains(
            "(via <a href=\"https://mastodon.example/@someone/1\">mastodon.example</a>)",
            SampleFeeds.Composer.ComposeEntry(SampleFeeds.Posts[1]).ContentHtml,
            StringComparison.Ordinal);

    [Fact]
    public void A_post_that_is_not_published_is_refused()
    {
        var draft = Sample with { Status = PostStatus.Draft, PublishedAt = null };
        Assert.Throws<ArgumentException>(() => SampleFeeds.Composer.ComposeEntry(draft));
    }

    [Fact]
    public void Feed_updated_is_the_newest_entry_update()
    {
        var feed = SampleFeeds.Composer.Compose(FeedKey.Everything, SampleFeeds.Posts, new FeedPage { SelfUrl = "https://x.example/" }, Fallback);
        Assert.Equal(new DateTimeOffset(2025, 11, 22, 18, 45, 10, TimeSpan.Zero), feed.Updated);
    }

    [Fact]
    public void Empty_feed_takes_the_supplied_updated_time()
    {
        var feed = SampleFeeds.Composer.Compose(FeedKey.Everything, [], new FeedPage { SelfUrl = "https://x.example/" }, Fallback);
        Assert.Equal(Fallback, feed.Updated);
    }

    [Theory]
    [InlineData("everything", "tag:links.example.org,2025-01-01:feed:everything")]
    [InlineData("python", "tag:links.example.org,2025-01-01:feed:tag:python")]
    [InlineData("ai+llms", "tag:links.example.org,2025-01-01:feed:tag:ai+llms")]
    [InlineData("unicøde-cafe", "tag:links.example.org,2025-01-01:feed:tag:unic%C3%B8de-cafe")]
    [InlineData("ai+日本語", "tag:links.example.org,2025-01-01:feed:tag:ai+%E6%97%A5%E6%9C%AC%E8%AA%9E")]
    public void Feed_id_is_a_tag_uri_of_the_feed_key(string tags, string expected)
    {
        var key = tags == "everything"
            ? FeedKey.Everything
            : FeedKey.ForTags([.. tags.Split('+').Select(slug => new Tag(slug, slug))]);
        Assert.Equal(expected, SampleFeeds.Composer.FeedId(key));
    }

    [Fact]
    public void Tag_feed_is_titled_by_its_tags_and_links_to_their_page()
    {
        var feed = SampleFeeds.Composer.Compose(
            FeedKey.ForTags(SampleFeeds.Ai, SampleFeeds.Llms), [], new FeedPage { SelfUrl = "https://x.example/" }, Fallback);
        Assert.Equal("Example Links: AI + LLMs", feed.Title);
        Assert.Equal("https://links.example.org/tags/ai+llms", feed.AlternateUrl);
    }

    [Fact]
    public void A_feed_combines_at_most_three_tags() =>
        Assert.Throws<ArgumentException>(() => FeedKey.ForTags(SampleFeeds.Python, SampleFeeds.Ai, SampleFeeds.Llms, SampleFeeds.Japanese));
}
