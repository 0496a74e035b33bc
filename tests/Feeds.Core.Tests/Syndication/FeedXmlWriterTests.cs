using System.Buffers;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

/// <summary>
/// <see cref="FeedXmlWriter"/> stands in for <c>XmlWriter.Create</c>, so whatever the formatters ask of it must
/// come out as the general writer's bytes.
/// </summary>
public sealed class FeedXmlWriterTests
{
    /// <summary>What the feeds were written with before <see cref="FeedXmlWriter"/>.</summary>
    private static readonly XmlWriterSettings ReferenceSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Replace,
        CheckCharacters = true,
        CloseOutput = false,
    };

    public static TheoryData<string, string> Scenarios()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in SampleFeeds.Scenarios)
        {
            data.Add(scenario, "atom");
            data.Add(scenario, "rss");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Sample_feeds_come_out_as_the_general_writer_writes_them(string scenario, string format)
    {
        var writer = FeedWriters.ForExtension(format)!;
        AssertSameBytes(Formatter(SampleFeeds.Scenario(scenario, writer), format));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public void Random_unicode_feeds_come_out_as_the_general_writer_writes_them(string format)
    {
        var writer = FeedWriters.ForExtension(format)!;
        AssertSameBytes(Formatter(UnicodePropertyTests.RandomFeeds()[writer], format));
    }

    [Fact]
    public void Namespaces_are_declared_where_the_general_writer_declares_them() =>
        AssertSameBytes(xml =>
        {
            xml.WriteStartElement("root", "urn:a");
            xml.WriteAttributeString("xmlns", "b", null, "urn:b");
            xml.WriteAttributeString("plain", "1");
            xml.WriteStartElement("child", "urn:b");
            xml.WriteAttributeString("x", "urn:c", "2");
            xml.WriteAttributeString("q", "y", "urn:d", "3");
            xml.WriteStartElement("same", "urn:a");
            xml.WriteEndElement();
            xml.WriteStartElement("b", "other", "urn:e");
            xml.WriteElementString("inner", "urn:e", "text");
            xml.WriteEndElement();
            xml.WriteStartElement("none", string.Empty);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteStartElement("fh", "archive", "urn:f");
            xml.WriteAttributeString("xml", "base", null, "https://example.org/");
            xml.WriteEndElement();
            xml.WriteEndElement();
        });

    [Fact]
    public void Empty_elements_close_the_way_the_general_writer_closes_them() =>
        AssertSameBytes(xml =>
        {
            xml.WriteStartElement("root");
            xml.WriteElementString("empty", string.Empty);
            xml.WriteStartElement("nothing");
            xml.WriteString(null);
            xml.WriteEndElement();
            xml.WriteStartElement("full");
            xml.WriteFullEndElement();
            xml.WriteStartElement("attributes");
            xml.WriteAttributeString("a", string.Empty);
            xml.WriteEndElement();
            xml.WriteStartElement("text");
            xml.WriteAttributeString("a", string.Empty);
            xml.WriteString(string.Empty);
            xml.WriteEndElement();
            xml.WriteStartElement("text");
            xml.WriteString(string.Empty);
            xml.WriteEndElement();
            xml.WriteStartElement("raw");
            xml.WriteRaw(string.Empty);
            xml.WriteEndElement();
            xml.WriteEndElement();
        });

    [Theory]
    [InlineData("plain")]
    [InlineData("markup <a href=\"x?a=1&amp;b=2\">it's</a> > ]]>")]
    [InlineData("lines\r\nand\rbreaks\n\tand tabs\r")]
    [InlineData("日本語 Ελληνικά 🎉 \u0085 \u2028 \uE000 \uFFFD \u007F caf\u00E9")]
    [InlineData("a long run of ASCII that is longer than one block of sixteen characters, then <markup> & \"quotes\"")]
    [InlineData("emoji 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 between sixteen-character blocks <and> markup")]
    [InlineData("<p><b>x</b> <a href=\"a?b=1&amp;c=2\">y</a></p>\r\n<p>\r<i>z</i>\t&\"'</p><<<<>>>>&&&&\"\"\"\"\n\n\t\t<p>end</p>")]
    public void Text_and_attribute_values_are_escaped_as_the_general_writer_escapes_them(string text) =>
        AssertSameBytes(xml =>
        {
            xml.WriteStartElement("root");
            xml.WriteAttributeString("value", text);
            xml.WriteString(text);
            xml.WriteString(text);
            xml.WriteEndElement();
        });

    [Theory]
    [InlineData("")]
    [InlineData("<p>html <a href=\"x?a=1&amp;b=2\">as it is</a></p>")]
    [InlineData("]]> at the start, in ]]]> the middle, twice ]]>]]> and at the end ]]>")]
    [InlineData("lines\r\nand\rbreaks\n\tand tabs\r")]
    [InlineData("日本語 Ελληνικά 🎉 \u0085 \u2028 \uE000 \uFFFD caf\u00E9 ]]>🎉")]
    public void Cdata_sections_come_out_as_the_general_writer_writes_them(string text) =>
        AssertSameBytes(xml =>
        {
            xml.WriteStartElement("root");
            xml.WriteAttributeString("type", "html");
            xml.WriteCData(text);
            xml.WriteStartElement("empty");
            xml.WriteCData(null);
            xml.WriteEndElement();
            xml.WriteCData(text);
            xml.WriteEndElement();
        });

    /// <summary>
    /// Random text from the characters CDATA writing treats apart (']', '&gt;', CR, LF, what is not ASCII), in lengths
    /// around the sixteen characters it takes at a time, and one longer than the writer's first buffer.
    /// </summary>
    [Fact]
    public void Cdata_sections_of_any_text_come_out_as_the_general_writer_writes_them()
    {
        var random = new Random(4287);
        foreach (var text in RandomTexts(random, ["a", "b", "]", ">", "\r", "\n", "\t", "<", "&", "é", "日", "\uD83C\uDF89"]))
        {
            AssertSameBytes(xml => WriteElementCData(xml, text));
        }
    }

    [Fact]
    public void Clean_cdata_of_any_text_is_the_general_writers_cdata_of_the_cleaned_text()
    {
        var random = new Random(5005);
        foreach (var text in RandomTexts(random, ["a", "]", ">", "\r", "\n", "é", "\uD83C\uDF89", "\u0001", "\uD800", "\uDC00", "\uFFFE"]))
        {
            AssertCleanCDataIsCDataOfCleanedText(text);
        }
    }

    private static void AssertCleanCDataIsCDataOfCleanedText(string text)
    {
        var expected = Reference(xml => WriteElementCData(xml, Core.Text.TextRules.ForXml(text)));
        var actual = Fast(xml =>
        {
            xml.WriteStartElement("root");
            ((FeedXmlWriter)xml).WriteCleanCData(text);
            xml.WriteEndElement();
        });
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
    }

    private static IEnumerable<string> RandomTexts(Random random, string[] pieces)
    {
        for (var n = 0; n < 2_000; n++)
        {
            var text = new StringBuilder();
            var length = n == 0 ? 20_000 : random.Next(0, 48);
            while (text.Length < length)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            yield return text.ToString();
        }
    }

    /// <summary>Code units rather than strings: a lone surrogate does not survive in an attribute argument.</summary>
    public static TheoryData<int> ForbiddenCodeUnits => [0x0000, 0x0001, 0x001F, 0xD800, 0xDC00, 0xFFFE, 0xFFFF];

    [Theory]
    [MemberData(nameof(ForbiddenCodeUnits))]
    public void Characters_xml_forbids_throw_as_they_do_in_the_general_writer(int codeUnit)
    {
        var c = (char)codeUnit;
        foreach (var text in new[] { c.ToString(), $"before {c} after", $"a long run of ASCII before the character that is not allowed {c}", $"<p>&amp;</p> {c} <b>and more</b> after it" })
        {
            Assert.ThrowsAny<ArgumentException>(() => Reference(xml => xml.WriteElementString("root", text)));
            Assert.ThrowsAny<ArgumentException>(() => Fast(xml => xml.WriteElementString("root", text)));
            Assert.ThrowsAny<ArgumentException>(() => Fast(xml =>
            {
                xml.WriteStartElement("root");
                xml.WriteAttributeString("value", text);
                xml.WriteEndElement();
            }));
            Assert.ThrowsAny<ArgumentException>(() => Reference(xml => WriteElementCData(xml, text)));
            Assert.ThrowsAny<ArgumentException>(() => Fast(xml => WriteElementCData(xml, text)));
        }
    }

    /// <summary>Entry content goes through <see cref="FeedXmlWriter.WriteCleanCData"/>: cleaned and written in one scan.</summary>
    [Theory]
    [MemberData(nameof(ForbiddenCodeUnits))]
    public void Clean_cdata_drops_what_xml_forbids_and_writes_the_rest_as_cdata(int codeUnit)
    {
        var c = (char)codeUnit;
        foreach (var text in new[] { c.ToString(), $"a long run of ASCII before the character {c} and ]]> after it\r\n", "\uD83C\uDF89 pairs stay, clean text too" })
        {
            AssertCleanCDataIsCDataOfCleanedText(text);
        }
    }

    [Fact]
    public void A_duplicate_attribute_throws() =>
        Assert.Throws<XmlException>(() => Fast(xml =>
        {
            xml.WriteStartElement("root");
            xml.WriteAttributeString("a", "1");
            xml.WriteAttributeString("a", "2");
        }));

    [Fact]
    public void Output_larger_than_one_chunk_arrives_whole()
    {
        var text = string.Concat(Enumerable.Repeat("<p>paragraph &amp; 日本語</p>\n", 5_000));
        AssertSameBytes(xml => xml.WriteElementString("root", text));
    }

    private static void WriteElementCData(XmlWriter xml, string text)
    {
        xml.WriteStartElement("root");
        xml.WriteCData(text);
        xml.WriteEndElement();
    }

    private static SyndicationFeedFormatter Formatter(FeedDocument document, string format) =>
        format == "atom"
            ? new Atom10FeedFormatter(SyndicationMapping.ToSyndicationFeed(document, FeedFormat.Atom))
            : new Rss20FeedFormatter(SyndicationMapping.ToSyndicationFeed(document, FeedFormat.Rss));

    private static void AssertSameBytes(SyndicationFeedFormatter formatter) => AssertSameBytes(formatter.WriteTo);

    private static void AssertSameBytes(Action<XmlWriter> write) =>
        Assert.Equal(Encoding.UTF8.GetString(Reference(write)), Encoding.UTF8.GetString(Fast(write)));

    private static byte[] Reference(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, ReferenceSettings))
        {
            write(xml);
        }

        return stream.ToArray();
    }

    /// <summary>A small first buffer, so writes cross from one piece of the destination to the next.</summary>
    private static byte[] Fast(Action<XmlWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var xml = new FeedXmlWriter(buffer))
        {
            write(xml);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
