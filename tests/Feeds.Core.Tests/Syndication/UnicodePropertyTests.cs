using System.Text;
using System.Text.Json;
using System.Xml;
using Feeds.Contracts.Text;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Core.Text;
using Feeds.Tests;

namespace Feeds.Core.Tests.Syndication;

/// <summary>
/// Whatever text reaches the renderer (even text the API would refuse, as old rows or imports might hold),
/// every format stays well-formed.
/// </summary>
public sealed class UnicodePropertyTests
{
    private const int PostCount = 1000;
    private const int Seed = 4287;

    // Control characters, unpaired surrogates, noncharacters, bidi marks, emoji, markup and
    // characters around the edges of the ranges XML allows.
    private static readonly string[] Pieces =
    [
        "\0", "\u0001", "\u0008", "\u000B", "\u000C", "\u001F", "\t", "\n", "\r", "\r\n",
        "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uFFFE", "\uFFFF", "\uFFFD", "\uE000", "\uD7FF",
        "\u200E", "\u200F", "\u202E", "\u2066", "\u2069", "\u2028", "\u2029", "\u0085", "\u00A0",
        "🎉", "👩🏽‍💻", "🇯🇵", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "日本語", "שלום", "مرحبا", "Ελληνικά", "e\u0301",
        "<", ">", "&", "\"", "'", "]]>", "<![CDATA[", "<!--", "&amp;", "&#0;", "&#xD800;", "<script>", "</content>",
        "plain words ", " ",
    ];

    [Fact]
    public void Random_unicode_in_every_field_still_yields_well_formed_documents_in_every_format()
    {
        var feeds = RandomFeeds();
        foreach (var writer in new IFeedWriter[] { FeedWriters.Atom, FeedWriters.Rss })
        {
            var bytes = writer.WriteToArray(feeds[writer]);
            using var reader = XmlReader.Create(new MemoryStream(bytes));
            while (reader.Read())
            {
            }
        }

        using var json = JsonDocument.Parse(FeedWriters.Json.WriteToArray(feeds[FeedWriters.Json]));
        Assert.Equal(PostCount, json.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Random_unicode_in_every_field_keeps_every_allowed_character_of_the_title()
    {
        var feed = RandomFeeds()[FeedWriters.Atom];
        var xml = new XmlDocument();
        xml.Load(new MemoryStream(FeedWriters.Atom.WriteToArray(feed)));
        var namespaces = new XmlNamespaceManager(xml.NameTable);
        namespaces.AddNamespace("a", "http://www.w3.org/2005/Atom");
        var titles = xml.SelectNodes("/a:feed/a:entry/a:title", namespaces)!.Cast<XmlNode>().Select(n => n.InnerText).ToList();

        // An XML parser reports line breaks as "\n" (XML 1.0 section 2.11).
        Assert.Equal(
            feed.Entries.Select(e => TextRules.ForXml(e.Title).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')),
            titles);
    }

    [Fact]
    public async Task Random_unicode_in_every_field_still_yields_a_valid_atom_document()
    {
        var validator = ExternalTools.Require("validate-atom.sh", "jing", "xmllint", "xmlstarlet");
        using var file = TempFeed.Write(FeedWriters.Atom, RandomFeeds()[FeedWriters.Atom]);

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(validator, [file.Path]);

        Assert.True(exitCode == 0, $"validate-atom.sh exited {exitCode}:\n{stdout}\n{stderr}");
    }

    internal static Dictionary<IFeedWriter, FeedDocument> RandomFeeds()
    {
        var random = new Random(Seed);
        var site = SampleFeeds.Site with
        {
            Title = RandomText(random, 8),
            Subtitle = RandomText(random, 8),
            Author = new FeedPerson(RandomText(random, 4)),
        };
        var composer = new FeedComposer(site);
        var entries = composer.ComposeEntries(Enumerable.Range(0, PostCount).Select(i => RandomPost(random, i)));
        var key = FeedKey.ForTags(new Tag("tag", RandomText(random, 3)));
        return FeedWriters.All.ToDictionary(
            w => w,
            w => composer.ComposeDocument(key, entries, new FeedPage { SelfUrl = $"{SampleFeeds.BaseUrl}/tags/tag.{w.FileExtension}" }, SampleFeeds.EmptyFeedUpdated));
    }

    private static Post RandomPost(Random random, int index)
    {
        var title = RandomText(random, 12);
        var tags = Enumerable.Range(0, random.Next(0, 4))
            .Select(_ => RandomText(random, 3))
            .Select(name => new Tag(Slugs.ForTag(TextRules.ForXml(name)) is { Length: > 0 } slug ? slug : "t", name))
            .ToList();
        var created = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 3_000_000));
        return new Post
        {
            Id = new Guid(index, 7, 7, new byte[8]),
            // Slugs are made from validated titles; the normaliser they use rejects unpaired surrogates.
            Slug = Slugs.ForPost(TextRules.ForXml(title)),
            Url = "https://example.com/" + RandomText(random, 4),
            Title = title,
            Commentary = string.Empty,
            CommentaryHtml = RandomText(random, random.Next(0, 200)),
            Tags = tags,
            Via = random.Next(3) == 0 ? new Via("https://via.example/" + RandomText(random, 2), random.Next(2) == 0 ? null : RandomText(random, 4)) : null,
            Status = PostStatus.Published,
            CreatedAt = created,
            PublishedAt = created.AddMinutes(random.Next(0, 100)),
            UpdatedAt = created.AddMinutes(random.Next(-100, 10_000)),
        };
    }

    private static string RandomText(Random random, int pieces)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            text.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }
}
