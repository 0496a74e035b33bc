using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class FeedParserTests
{
    private static readonly Uri Origin = new("https://reader.example/feeds/source.xml");

    private static ParsedFeed Parse(string document, string? contentType = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document), Origin, contentType);

    private static ParsedItem OnlyItem(string itemXml) =>
        Assert.Single(Parse($"<rss version=\"2.0\"><channel><title>t</title>{itemXml}</channel></rss>").Items);

    [Fact]
    public void The_format_comes_from_the_document_not_the_url_or_content_type()
    {
        var feed = FeedParser.Parse(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>"u8.ToArray(),
            new Uri("https://reader.example/rss.json"),
            "application/rss+xml");
        Assert.Equal(FeedFormat.Atom10, feed.Format);
    }

    [Fact]
    public void The_dedupe_key_is_the_guid_when_there_is_one() =>
        Assert.Equal("abc-1", OnlyItem("<item><guid isPermaLink=\"false\">abc-1</guid><link>https://a.example/1</link></item>").DedupeKey);

    [Fact]
    public void The_dedupe_key_is_the_link_when_there_is_no_guid() =>
        Assert.Equal("https://a.example/1", OnlyItem("<item><link>https://a.example/1</link></item>").DedupeKey);

    [Fact]
    public void The_dedupe_key_of_an_anonymous_item_is_a_hash_stable_across_polls()
    {
        const string item = "<item><title>Same</title><description>Body</description></item>";
        var first = OnlyItem(item).DedupeKey;
        Assert.StartsWith("sha256:", first, StringComparison.Ordinal);
        Assert.Equal(first, OnlyItem(item).DedupeKey);
        Assert.NotEqual(first, OnlyItem("<item><title>Same</title><description>Other</description></item>").DedupeKey);
    }

    [Fact]
    public void A_repeated_guid_keeps_only_its_first_item()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><item><guid>x</guid><title>new</title></item><item><guid>x</guid><title>old</title></item></channel></rss>");
        Assert.Equal("new", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void A_missing_date_stays_null_rather_than_now() =>
        Assert.Null(OnlyItem("<item><title>undated</title></item>").Published);

    [Fact]
    public void Html_in_a_title_is_reduced_to_its_text() =>
        Assert.Equal("Tom & Jerry in bold", OnlyItem("<item><title>Tom &amp;amp; Jerry &lt;b&gt;in bold&lt;/b&gt;</title></item>").Title);

    [Fact]
    public void A_whitespace_only_title_is_null() =>
        Assert.Null(OnlyItem("<item><title> \n\t </title><guid>g</guid></item>").Title);

    [Fact]
    public void Html_named_entities_are_read_without_a_dtd() =>
        Assert.Equal("Café — naïve…", OnlyItem("<item><title>Caf&eacute; &mdash; na&iuml;ve&hellip;</title></item>").Title);

    [Fact]
    public void Windows_1252_character_references_mean_their_windows_1252_characters() =>
        Assert.Equal("“quoted”", OnlyItem("<item><title>&#147;quoted&#148;</title></item>").Title);

    [Fact]
    public void Control_characters_that_xml_forbids_are_dropped() =>
        Assert.Equal("ab", OnlyItem("<item><title>a\u000Bb</title></item>").Title);

    [Fact]
    public void A_relative_link_is_resolved_against_the_document_url() =>
        Assert.Equal(new Uri("https://reader.example/posts/1"), OnlyItem("<item><link>/posts/1</link></item>").Url);

    [Fact]
    public void A_non_web_link_is_not_an_item_url() =>
        Assert.Null(OnlyItem("<item><link>javascript:alert(1)</link><guid>g</guid></item>").Url);

    [Fact]
    public void A_guid_that_is_not_a_permalink_is_never_the_url() =>
        Assert.Null(OnlyItem("<item><guid isPermaLink=\"false\">https://a.example/not-a-page</guid></item>").Url);

    [Fact]
    public void Bytes_that_are_not_utf8_under_a_utf8_label_are_read_as_windows_1252()
    {
        var bytes = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Caf?</title></channel></rss>");
        bytes[Array.IndexOf(bytes, (byte)'?', 60)] = 0xE9;
        Assert.Equal("Café", FeedParser.Parse(bytes, Origin).Title);
    }

    [Fact]
    public void The_http_charset_applies_when_the_document_declares_none()
    {
        var bytes = Encoding.Latin1.GetBytes("<rss version=\"2.0\"><channel><title>Ærø</title></channel></rss>");
        Assert.Equal("Ærø", FeedParser.Parse(bytes, Origin, "application/rss+xml; charset=\"ISO-8859-1\"").Title);
    }

    [Fact]
    public void Utf16_without_a_byte_order_mark_is_recognised()
    {
        var bytes = Encoding.Unicode.GetBytes("<rss version=\"2.0\"><channel><title>Ωμέγα</title></channel></rss>");
        Assert.Equal("Ωμέγα", FeedParser.Parse(bytes, Origin).Title);
    }

    [Fact]
    public void An_html_page_is_refused_with_a_hint_to_discover_its_feeds()
    {
        var error = Assert.Throws<FeedParseException>(() => Parse("<!DOCTYPE html><html><head></head><body></body></html>"));
        Assert.Contains("HTML page", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Atom_entries_without_an_author_take_the_feed_author()
    {
        var feed = Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><author><name>Ada</name></author><entry><id>1</id></entry></feed>");
        Assert.Equal([new ParsedAuthor("Ada")], Assert.Single(feed.Items).Authors);
    }

    [Fact]
    public async Task A_stream_parses_like_the_same_bytes()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "parsing", "rss20-full.xml"));
        using var stream = new MemoryStream(bytes);
        var fromStream = await FeedParser.ParseAsync(stream, Origin, null, TestContext.Current.CancellationToken);
        var fromBytes = FeedParser.Parse(bytes, Origin);
        Assert.Equal(fromBytes.Items.Select(i => i.DedupeKey), fromStream.Items.Select(i => i.DedupeKey));
    }
}
