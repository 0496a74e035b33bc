using System.Text;
using System.Xml;
using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

public sealed class FeedWriterTests
{
    [Theory]
    [InlineData("atom", "application/atom+xml; charset=utf-8")]
    [InlineData("rss", "application/rss+xml; charset=utf-8")]
    [InlineData("json", "application/feed+json; charset=utf-8")]
    public void Each_format_names_its_media_type_with_charset(string extension, string mediaType) =>
        Assert.Equal(mediaType, FeedWriters.ForExtension(extension)!.MediaType);

    [Theory]
    [InlineData("atom", "<link rel=\"hub\" href=\"https://links.example/websub\" />")]
    [InlineData("rss", "<a10:link rel=\"hub\" href=\"https://links.example/websub\" />")]
    [InlineData("json", "\"hubs\": [\n    {\n      \"type\": \"WebSub\",\n      \"url\": \"https://links.example/websub\"\n    }\n  ]")]
    public void A_document_with_a_hub_names_it_as_each_format_does(string extension, string expected)
    {
        var writer = FeedWriters.ForExtension(extension)!;
        var document = SampleFeeds.Scenario("everything", writer) with { HubUrl = "https://links.example/websub" };

        var text = Encoding.UTF8.GetString(writer.WriteToArray(document));

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hub", Encoding.UTF8.GetString(writer.WriteToArray(document with { HubUrl = null })), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public void Output_has_no_byte_order_mark(string extension)
    {
        var writer = FeedWriters.ForExtension(extension)!;
        var bytes = writer.WriteToArray(SampleFeeds.Scenario("everything", writer));
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public void Every_url_names_an_internationalised_host_in_punycode(string extension)
    {
        var writer = FeedWriters.ForExtension(extension)!;
        var text = Encoding.UTF8.GetString(writer.WriteToArray(SampleFeeds.InternationalArchive(writer)));

        Assert.DoesNotContain("//例え", text, StringComparison.Ordinal);
        Assert.DoesNotContain("//bücher", text, StringComparison.Ordinal);
        Assert.DoesNotContain("//ジェーン", text, StringComparison.Ordinal);
        Assert.Contains("xn--r8jz45g.xn--zckzah", text, StringComparison.Ordinal);
        Assert.Contains("unic%C3%B8de-cafe", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Archive_document_carries_the_fh_archive_marker()
    {
        var xml = Load(FeedWriters.Atom, "archive");
        var namespaces = new XmlNamespaceManager(xml.NameTable);
        namespaces.AddNamespace("fh", "http://purl.org/syndication/history/1.0");
        Assert.NotNull(xml.SelectSingleNode("/*/fh:archive", namespaces));
    }

    [Fact]
    public void Paged_atom_feed_links_to_first_previous_and_next_pages()
    {
        var xml = Load(FeedWriters.Atom, "paged");
        var namespaces = new XmlNamespaceManager(xml.NameTable);
        namespaces.AddNamespace("a", "http://www.w3.org/2005/Atom");
        Assert.Equal("https://links.example.org/everything.atom?page=3", xml.SelectSingleNode("/a:feed/a:link[@rel='next']/@href", namespaces)?.Value);
        Assert.NotNull(xml.SelectSingleNode("/a:feed/a:link[@rel='previous']", namespaces));
        Assert.NotNull(xml.SelectSingleNode("/a:feed/a:link[@rel='first']", namespaces));
    }

    [Fact]
    public void Rss_items_carry_the_tag_uri_as_a_guid_that_is_not_a_permalink()
    {
        var xml = Load(FeedWriters.Rss, "everything");
        var guid = (XmlElement)xml.SelectSingleNode("/rss/channel/item/guid")!;
        Assert.Equal("false", guid.GetAttribute("isPermaLink"));
        Assert.StartsWith("tag:links.example.org,", guid.InnerText, StringComparison.Ordinal);
    }

    [Fact]
    public void Rss_feed_has_an_atom_self_link()
    {
        var xml = Load(FeedWriters.Rss, "everything");
        var namespaces = new XmlNamespaceManager(xml.NameTable);
        namespaces.AddNamespace("a", "http://www.w3.org/2005/Atom");
        Assert.Equal("https://links.example.org/everything.rss", xml.SelectSingleNode("/rss/channel/a:link[@rel='self']/@href", namespaces)?.Value);
    }

    [Fact]
    public void Long_content_is_written_as_the_same_text_the_entry_holds()
    {
        var html = "<p>" + new string('x', 600) + " &amp; <b>bold</b> \"quoted\" 🎉\r\nline</p>";
        var entry = SampleFeeds.Composer.ComposeEntry(SampleFeeds.Posts[0]) with { ContentHtml = html };
        var feed = SampleFeeds.Scenario("everything", FeedWriters.Atom) with { Entries = [entry] };
        var xml = new XmlDocument();
        xml.Load(new MemoryStream(FeedWriters.Atom.WriteToArray(feed)));
        var namespaces = new XmlNamespaceManager(xml.NameTable);
        namespaces.AddNamespace("a", "http://www.w3.org/2005/Atom");
        Assert.Equal(html.Replace("\r\n", "\n", StringComparison.Ordinal), xml.SelectSingleNode("//a:entry/a:content", namespaces)!.InnerText);
    }

    private static XmlDocument Load(IFeedWriter writer, string scenario)
    {
        var xml = new XmlDocument();
        xml.Load(new MemoryStream(writer.WriteToArray(SampleFeeds.Scenario(scenario, writer))));
        return xml;
    }
}
