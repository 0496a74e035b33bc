using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

/// <summary>Each class of disagreement with the reference parser, one behaviour per test.</summary>
public sealed class FeedParserReferenceClassesTests
{
    private static readonly Uri Origin = new("https://reader.example/feeds/source.xml");

    private const string AtomStart = "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><title>t</title>";

    private const string RssStart = "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
        + " xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\""
        + " xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"><channel><title>t</title>";

    private static ParsedFeed Parse(string document) => FeedParser.Parse(Encoding.UTF8.GetBytes(document), Origin);

    private static ParsedItem Entry(string entryXml) => Assert.Single(Parse(AtomStart + "<entry><id>urn:e:1</id>" + entryXml + "</entry></feed>").Items);

    private static ParsedItem Item(string itemXml) => Assert.Single(Parse(RssStart + "<item>" + itemXml + "</item></channel></rss>").Items);

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/csv")]
    public void Atom_content_of_a_text_type_is_its_text_escaped(string type) =>
        Assert.Equal("a &lt;b&gt; c", Entry($"<content type=\"{type}\">a &lt;b&gt; c</content>").ContentHtml);

    [Fact]
    public void Atom_base64_content_of_another_media_type_is_decoded() =>
        Assert.Equal("Firing log", Entry("<content type=\"application/octet-stream\">RmlyaW5nIGxvZw==</content>").ContentHtml);

    [Fact]
    public void Atom_binary_content_is_left_out_rather_than_shown_as_base64() =>
        Assert.Null(Entry("<content type=\"image/png\">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==</content>").ContentHtml);

    [Fact]
    public void Atom_xhtml_content_keeps_its_markup_and_attributes_in_other_namespaces() =>
        Assert.Equal(
            "<p>See <svg><use xlink:href=\"#shelf\"></use></svg> <b class=\"x\">here</b></p>",
            Entry("<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>See <svg xmlns=\"http://www.w3.org/2000/svg\"><use xlink:href=\"#shelf\"/></svg> <b class=\"x\">here</b></p></div></content>").ContentHtml);

    [Fact]
    public void An_html_title_becomes_its_text_even_with_an_angle_bracket_in_a_quoted_attribute() =>
        Assert.Equal("Glazes", Entry("<title type=\"html\">&lt;img alt=\"dog &gt; cat\"&gt; Glazes</title>").Title);

    [Fact]
    public void Content_encoded_is_the_content_of_an_rss_item() =>
        Assert.Equal("<p>Full</p>", Item("<description>Short</description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded>").ContentHtml);

    [Fact]
    public void Xhtml_body_is_the_content_when_there_is_no_content_encoded() =>
        Assert.Equal("<p>Steady <em>hands</em></p>", Item("<xhtml:body><xhtml:p>Steady <xhtml:em>hands</xhtml:em></xhtml:p></xhtml:body>").ContentHtml);

    [Fact]
    public void Dublin_core_fills_title_author_subject_summary_and_update_date()
    {
        var item = Item("<dc:title>Queen rearing</dc:title><dc:creator>Tomas Weil</dc:creator><dc:subject>bees</dc:subject>"
            + "<dc:description>Grafting</dc:description><dc:date>2024-05-09T06:00:00Z</dc:date>");
        Assert.Equal("Queen rearing", item.Title);
        Assert.Equal([new ParsedAuthor("Tomas Weil")], item.Authors);
        Assert.Equal([new ParsedCategory("bees")], item.Categories);
        Assert.Equal("Grafting", item.SummaryHtml);
        Assert.Equal(new DateTimeOffset(2024, 5, 9, 6, 0, 0, TimeSpan.Zero), item.Updated);
        Assert.Null(item.Published);
    }

    [Fact]
    public void Itunes_fills_summary_author_and_nested_categories()
    {
        var item = Item("<itunes:summary>Cold &amp; bees</itunes:summary><itunes:author>Ruth</itunes:author>"
            + "<itunes:category text=\"Science\"><itunes:category text=\"Natural Sciences\"/></itunes:category>");
        Assert.Equal("Cold &amp; bees", item.SummaryHtml);
        Assert.Equal("Ruth", Assert.Single(item.Authors).Name);
        Assert.Equal(["Science", "Natural Sciences"], item.Categories.Select(c => c.Term));
    }

    [Fact]
    public void Media_rss_fills_title_description_category_thumbnail_and_enclosures_inside_a_group()
    {
        var item = Item("<media:group><media:title>Varroa</media:title><media:description>Sugar rolls</media:description>"
            + "<media:content url=\"https://hive.example/4.mp3\" type=\"audio/mpeg\" fileSize=\"300\"/>"
            + "<media:category label=\"Pests\" scheme=\"https://hive.example/t\">pests</media:category>"
            + "<media:thumbnail url=\"https://hive.example/4.jpg\"/></media:group>");
        Assert.Equal("Varroa", item.Title);
        Assert.Equal("Sugar rolls", item.SummaryHtml);
        Assert.Equal(new ParsedCategory("pests", "Pests", "https://hive.example/t"), Assert.Single(item.Categories));
        Assert.Equal(new Uri("https://hive.example/4.jpg"), item.ImageUrl);
        Assert.Equal(new ParsedEnclosure(new Uri("https://hive.example/4.mp3"), "audio/mpeg", 300), Assert.Single(item.Enclosures));
    }

    [Fact]
    public void The_core_element_wins_over_every_extension()
    {
        var item = Item("<title>Core</title><dc:title>Dublin</dc:title><media:title>Media</media:title>"
            + "<description>Core text</description><itunes:summary>iTunes</itunes:summary>"
            + "<author>core@hive.org</author><dc:creator>Creator</dc:creator><pubDate>Thu, 23 May 2024 06:00:00 GMT</pubDate><dcterms:issued>2020-01-01</dcterms:issued>");
        Assert.Equal("Core", item.Title);
        Assert.Equal("Core text", item.SummaryHtml);
        Assert.Equal("core@hive.org", Assert.Single(item.Authors).Email);
        Assert.Equal(2024, item.Published!.Value.Year);
    }

    [Fact]
    public void Atom_link_and_author_fill_an_rss_item()
    {
        var item = Item("<guid isPermaLink=\"false\">x</guid><atom:link rel=\"alternate\" href=\"https://hive.example/2\"/>"
            + "<atom:author><atom:name>Ruth</atom:name><atom:email>ruth@hive.org</atom:email></atom:author>");
        Assert.Equal(new Uri("https://hive.example/2"), item.Url);
        Assert.Equal(new ParsedAuthor("Ruth", "ruth@hive.org"), Assert.Single(item.Authors));
    }

    [Theory]
    [InlineData("utf-32BE", true)]
    [InlineData("utf-32LE", true)]
    [InlineData("utf-32BE", false)]
    [InlineData("utf-32LE", false)]
    public void Utf32_is_read_with_or_without_a_byte_order_mark(string encodingName, bool mark)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var body = encoding.GetBytes("<rss version=\"2.0\"><channel><title>Ångström 🐝</title></channel></rss>");
        var bytes = mark ? [.. encoding.GetPreamble(), .. body] : body;
        Assert.Equal("Ångström 🐝", FeedParser.Parse(bytes, Origin).Title);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>")]
    [InlineData("")]
    public void A_0x92_byte_is_a_right_quotation_mark_whatever_the_label_claims(string declaration)
    {
        var bytes = Encoding.Latin1.GetBytes(declaration + "<rss version=\"2.0\"><channel><title>It\u0092s</title></channel></rss>");
        Assert.Equal("It\u2019s", FeedParser.Parse(bytes, Origin).Title);
    }

    [Fact]
    public void Markup_left_unescaped_in_a_description_stays_html() =>
        Assert.Equal("The <b>first</b> sample<br>and a <a href=\"https://loom.example/x\">link</a>", Item("<description>The <b>first</b> sample<br/>and a <a href=\"https://loom.example/x\">link</a></description>").SummaryHtml);

    [Theory]
    [InlineData("jane@letters.org (Jane Doe)", "Jane Doe", "jane@letters.org")]
    [InlineData("Jane Doe (jane@letters.org)", "Jane Doe", "jane@letters.org")]
    [InlineData("Jane Doe <jane@letters.org>", "Jane Doe", "jane@letters.org")]
    [InlineData("jane@letters.example", null, "jane@letters.example")]
    [InlineData("Jane Doe", "Jane Doe", null)]
    public void Rss_authors_are_split_into_name_and_address(string written, string? name, string? email) =>
        Assert.Equal(new ParsedAuthor(name, email), Assert.Single(Item($"<author>{System.Security.SecurityElement.Escape(written)}</author>").Authors));

    [Theory]
    [InlineData("<rss version=\"2.0\"/>")]
    [InlineData("<rss version=\"2.0\"></rss>")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"/>")]
    public void A_document_without_a_channel_or_items_is_an_empty_feed_with_a_warning(string document)
    {
        var feed = Parse(document);
        Assert.Empty(feed.Items);
        Assert.Equal("The document has no channel and no items; it was read as an empty feed.", Assert.Single(feed.Warnings));
    }

    [Fact]
    public void An_rdf_document_with_items_but_no_channel_is_read_without_a_warning()
    {
        var feed = Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><item rdf:about=\"https://m.example/1\"><title>One</title></item></rdf:RDF>");
        Assert.Equal("One", Assert.Single(feed.Items).Title);
        Assert.Empty(feed.Warnings);
    }

    [Theory]
    [InlineData("1.0", FeedFormat.JsonFeed10)]
    [InlineData("1.1", FeedFormat.JsonFeed11)]
    public void A_json_feed_with_a_bare_version_is_read_with_a_warning(string version, FeedFormat format)
    {
        var feed = Parse($"{{\"version\":\"{version}\",\"title\":\"Bare\",\"items\":[{{\"id\":\"1\",\"content_text\":\"x\"}}]}}");
        Assert.Equal(format, feed.Format);
        Assert.Single(feed.Items);
        Assert.Contains("\"" + version + "\"", Assert.Single(feed.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void An_atom_category_keeps_its_term_as_tag_and_its_label_for_display()
    {
        var category = Assert.Single(Entry("<category term=\"sourdough\" label=\"Sourdough bread\" scheme=\"https://t.example/\"/>").Categories);
        Assert.Equal(new ParsedCategory("sourdough", "Sourdough bread", "https://t.example/"), category);
        Assert.Equal("Sourdough bread", category.DisplayName);
    }

    [Fact]
    public void An_rss_category_domain_is_its_scheme() =>
        Assert.Equal(new ParsedCategory("Compost", null, "https://filed.example/topics"), Assert.Single(Item("<category domain=\"https://filed.example/topics\">Compost</category>").Categories));

    [Fact]
    public void Rss_and_atom_enclosures_are_read_with_type_and_length()
    {
        Assert.Equal(
            [new ParsedEnclosure(new Uri("https://a.example/12.mp3"), "audio/mpeg", 24986239), new ParsedEnclosure(new Uri("https://a.example/13.m4a"), "audio/mp4", null)],
            Item("<enclosure url=\"https://a.example/12.mp3\" length=\"24986239\" type=\"audio/mpeg\"/><atom:link rel=\"enclosure\" href=\"https://a.example/13.m4a\" type=\"audio/mp4\" length=\"0\"/>").Enclosures);
        Assert.Equal(
            new ParsedEnclosure(new Uri("https://reader.example/feeds/media/soil.mp4"), "video/mp4", 7340032),
            Assert.Single(Entry("<link rel=\"enclosure\" href=\"media/soil.mp4\" type=\"video/mp4\" length=\"7340032\"/>").Enclosures));
    }

    [Fact]
    public void Json_feed_attachments_are_enclosures()
    {
        var item = Assert.Single(Parse("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\",\"attachments\":[{\"url\":\"/a.ogg\",\"mime_type\":\"audio/ogg\",\"size_in_bytes\":5}]}]}").Items);
        Assert.Equal(new ParsedEnclosure(new Uri("https://reader.example/a.ogg"), "audio/ogg", 5), Assert.Single(item.Enclosures));
    }

    [Fact]
    public void Xml_base_resolves_links_at_every_level_nested_bases_included()
    {
        var feed = Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://nest.example/blog/\"><title>t</title>"
            + "<entry xml:base=\"2024/\"><id>urn:e:1</id><link href=\"06/wren\"/>"
            + "<content type=\"xhtml\" xml:base=\"06/\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"img/wren.jpg\"/><p xml:base=\"/photos/\"><a href=\"large.jpg\">large</a></p></div></content></entry></feed>");
        var item = Assert.Single(feed.Items);
        Assert.Equal(new Uri("https://nest.example/blog/2024/06/wren"), item.Url);
        Assert.Equal("<img src=\"https://nest.example/blog/2024/06/img/wren.jpg\"><p><a href=\"https://nest.example/photos/large.jpg\">large</a></p>", item.ContentHtml);
    }

    [Fact]
    public void Of_several_rss_links_the_first_absolute_one_is_the_link()
    {
        var feed = Parse(RssStart.Replace("<title>t</title>", "<title>t</title><link>/relative</link><link>https://galore.example/</link><link>https://mirror.example/</link>", StringComparison.Ordinal)
            + "<item><link>https://galore.example/1</link><link>https://mirror.example/1</link></item></channel></rss>");
        Assert.Equal(new Uri("https://galore.example/"), feed.SiteUrl);
        Assert.Equal(new Uri("https://galore.example/1"), Assert.Single(feed.Items).Url);
    }

    [Fact]
    public void Items_with_neither_id_link_title_nor_content_do_not_collapse()
    {
        var feed = Parse(RssStart + "<item><enclosure url=\"https://b.example/a.mp3\"/></item><item><enclosure url=\"https://b.example/b.mp3\"/></item>"
            + "<item><pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate></item><item><pubDate>Tue, 04 Jun 2024 10:00:00 GMT</pubDate></item></channel></rss>");
        Assert.Equal(4, feed.Items.Select(i => i.DedupeKey).Distinct().Count());
    }

    [Fact]
    public void Identical_anonymous_items_are_all_kept_numbered_in_document_order()
    {
        var feed = Parse(RssStart + "<item><category>same</category></item><item><category>same</category></item></channel></rss>");
        Assert.Equal(2, feed.Items.Count);
        Assert.Equal(feed.Items[0].DedupeKey + "#2", feed.Items[1].DedupeKey);
    }

    [Fact]
    public void An_anonymous_item_with_a_title_keeps_the_key_it_always_had() =>
        Assert.Equal(
            "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("Same\nBody"))),
            Item("<title>Same</title><description>Body</description>").DedupeKey);
}
