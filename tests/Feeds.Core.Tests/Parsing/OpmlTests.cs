using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class OpmlTests
{
    private const string Nested = """
        <?xml version="1.0" encoding="utf-8"?>
        <opml version="2.0">
          <head><title>Subscriptions</title></head>
          <body>
            <outline text="Crafts">
              <outline text="Woodwork">
                <outline type="rss" text="Shavings" title="Shavings Weekly" xmlUrl="https://shavings.example/feed" htmlUrl="https://shavings.example/"/>
              </outline>
              <outline type="rss" text="Loom Notes" xmlUrl="https://loom.example/atom.xml" category="/textiles/dyeing,weaving"/>
            </outline>
            <outline type="rss" text="Top level" xmlUrl="/relative.xml"/>
            <outline type="rss" text="Not a web feed" xmlUrl="ftp://old.example/feed"/>
          </body>
        </opml>
        """;

    private static IReadOnlyList<OpmlSource> Parse(string opml) =>
        Opml.Parse(Encoding.UTF8.GetBytes(opml), new Uri("https://me.example/subscriptions.opml"));

    [Fact]
    public void Nested_folders_become_categories_of_the_feeds_inside_them()
    {
        var shavings = Parse(Nested)[0];
        Assert.Equal("Shavings Weekly", shavings.Title);
        Assert.Equal(new Uri("https://shavings.example/feed"), shavings.XmlUrl);
        Assert.Equal(new Uri("https://shavings.example/"), shavings.HtmlUrl);
        Assert.Equal(["Crafts", "Woodwork"], shavings.Categories);
    }

    [Fact]
    public void The_category_attribute_adds_each_segment_of_each_path()
    {
        var loom = Parse(Nested)[1];
        Assert.Equal("Loom Notes", loom.Title);
        Assert.Equal(["Crafts", "textiles", "dyeing", "weaving"], loom.Categories);
    }

    [Fact]
    public void Relative_feed_urls_resolve_and_non_web_ones_are_skipped()
    {
        var sources = Parse(Nested);
        Assert.Equal(3, sources.Count);
        Assert.Equal(new Uri("https://me.example/relative.xml"), sources[2].XmlUrl);
    }

    [Fact]
    public void Writing_then_reading_gives_back_the_same_sources()
    {
        OpmlSource[] sources =
        [
            new() { XmlUrl = new Uri("https://a.example/feed.xml"), Title = "Åsa's \"notes\" & more", HtmlUrl = new Uri("https://a.example/"), Categories = ["python", "data science"] },
            new() { XmlUrl = new Uri("https://b.example/atom"), Title = "B" },
        ];

        var written = Opml.Write(sources, "My sources", new DateTimeOffset(2024, 3, 5, 9, 5, 0, TimeSpan.Zero));
        var read = Opml.Parse(Encoding.UTF8.GetBytes(written));

        Assert.Equal(sources.Length, read.Count);
        for (var i = 0; i < sources.Length; i++)
        {
            Assert.Equal(sources[i].XmlUrl, read[i].XmlUrl);
            Assert.Equal(sources[i].Title, read[i].Title);
            Assert.Equal(sources[i].HtmlUrl, read[i].HtmlUrl);
            Assert.Equal(sources[i].Categories, read[i].Categories);
        }
    }

    [Fact]
    public void The_written_document_is_opml_2_0_with_the_required_text_attribute()
    {
        var written = Opml.Write([new OpmlSource { XmlUrl = new Uri("https://a.example/f"), Categories = ["a,b", "c/d"] }], "Mine");
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", written, StringComparison.Ordinal);
        Assert.Contains("<opml version=\"2.0\">", written, StringComparison.Ordinal);
        Assert.Contains("text=\"https://a.example/f\"", written, StringComparison.Ordinal);
        Assert.Contains("category=\"a b,c d\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opml_document_with_a_dtd_is_refused() =>
        Assert.Throws<FeedParseException>(() => Parse("<!DOCTYPE opml [<!ENTITY x \"y\">]><opml version=\"2.0\"><body/></opml>"));

    [Fact]
    public void A_document_that_is_not_opml_is_refused() =>
        Assert.Throws<FeedParseException>(() => Parse("<rss version=\"2.0\"><channel/></rss>"));
}
