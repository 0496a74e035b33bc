using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class FeedParserSafetyTests
{
    private static readonly Uri Origin = new("https://safety.example/feed.xml");

    private static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "parsing", name));

    [Fact]
    public void A_billion_laughs_document_is_refused_without_expanding_anything()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Fixture("invalid/billion-laughs.xml"), Origin));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("DOCTYPE", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"parsing allocated {allocated:N0} bytes");
    }

    [Fact]
    public void An_external_entity_document_is_refused_and_the_entity_never_read()
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Fixture("invalid/xxe.xml"), Origin));
        Assert.Contains("XXE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_dtd_is_never_fetched_and_its_entities_stay_text()
    {
        var feed = FeedParser.Parse(Fixture("rss20-external-dtd.xml"), Origin);
        Assert.Equal("The &remote; reference stays literal text.", feed.Description);
    }

    [Fact]
    public void Malformed_xml_fails_with_the_line_of_the_problem()
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Fixture("invalid/malformed.xml"), Origin));
        Assert.StartsWith("The document is not well-formed XML:", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 6", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_document_with_10_001_items_is_refused()
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(RssWithItems(FeedLimits.MaxItems + 1), Origin));
        Assert.Contains("10,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_with_exactly_10_000_items_is_read_in_full()
    {
        var feed = FeedParser.Parse(RssWithItems(FeedLimits.MaxItems), Origin);
        Assert.Equal(FeedLimits.MaxItems, feed.Items.Count);
    }

    [Fact]
    public void A_json_feed_with_10_001_items_is_refused()
    {
        var items = string.Join(',', Enumerable.Range(0, FeedLimits.MaxItems + 1).Select(i => $"{{\"id\":\"{i}\"}}"));
        var json = $"{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"many\",\"items\":[{items}]}}";
        Assert.Throws<FeedParseException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(json), Origin));
    }

    // What follows the 10,001st item is not even well-formed: a parser that read it would report that instead.
    [Fact]
    public void An_rss_document_is_refused_at_its_10_001st_item_without_reading_the_rest()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(RssWithItems(FeedLimits.MaxItems + 1)).Replace("</channel></rss>", "<broken", StringComparison.Ordinal));
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(body, Origin));
        Assert.Equal("The document has more than 10,000 items; longer feeds are refused.", error.Message);
    }

    [Fact]
    public void An_atom_document_is_refused_at_its_10_001st_entry_without_reading_the_rest()
    {
        var xml = new StringBuilder("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Many</title>");
        for (var i = 0; i <= FeedLimits.MaxItems; i++)
        {
            xml.Append("<entry><id>urn:e:").Append(i).Append("</id></entry>");
        }

        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(xml.Append("<broken").ToString()), Origin));
        Assert.Equal("The document has more than 10,000 items; longer feeds are refused.", error.Message);
    }

    [Fact]
    public void A_json_feed_is_refused_at_its_10_001st_item_without_reading_the_rest()
    {
        var items = string.Join(',', Enumerable.Range(0, FeedLimits.MaxItems + 1).Select(i => $"{{\"id\":\"{i}\"}}"));
        var json = $"{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"many\",\"items\":[{items},{{\"broken";
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(json), Origin));
        Assert.Equal("The document has more than 10,000 items; longer feeds are refused.", error.Message);
    }

    [Fact]
    public void A_body_over_10_MiB_is_refused_before_parsing()
    {
        var body = new byte[FeedLimits.MaxBodyBytes + 1];
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(body, Origin));
        Assert.Contains("10 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_over_10_MiB_is_refused_without_reading_it_all()
    {
        using var stream = new EndlessStream();
        Assert.Throws<FeedParseException>(() => FeedParser.Parse(stream, Origin));
        Assert.True(stream.Position <= FeedLimits.MaxBodyBytes + 81920);
    }

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_refused()
    {
        var depth = FeedLimits.MaxDepth + 10;
        var xml = "<rss version=\"2.0\"><channel><title>" + string.Concat(Enumerable.Repeat("<b>", depth))
            + string.Concat(Enumerable.Repeat("</b>", depth)) + "</title></channel></rss>";
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(xml), Origin));
        Assert.Contains("deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thousands_of_character_references_are_not_mistaken_for_entity_expansion()
    {
        var title = string.Concat(Enumerable.Repeat("&nbsp;&#233;&amp;", 5000));
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes($"<rss version=\"2.0\"><channel><title>x</title><description>{title}</description></channel></rss>"), Origin);
        Assert.Equal(15000 - 1, feed.Description!.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void An_empty_body_fails_clearly(string body) =>
        Assert.Equal("The document is empty.", Assert.Throws<FeedParseException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(body), Origin)).Message);

    [Fact]
    public void Invalid_json_fails_clearly()
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse("{\"version\": "u8.ToArray(), Origin));
        Assert.StartsWith("The document is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] RssWithItems(int count)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>");
        for (var i = 0; i < count; i++)
        {
            builder.Append("<item><guid>g").Append(i).Append("</guid></item>");
        }

        return Encoding.UTF8.GetBytes(builder.Append("</channel></rss>").ToString());
    }

    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            Position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
