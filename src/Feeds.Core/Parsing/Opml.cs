using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Feeds.Core.Parsing;

/// <summary>A subscription as OPML carries it. <see cref="Categories"/> become the source's tags.</summary>
public sealed record OpmlSource
{
    public required Uri XmlUrl { get; init; }

    public string? Title { get; init; }

    public Uri? HtmlUrl { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];
}

/// <summary>
/// An outline of an OPML document that names a feed (it has an <c>xmlUrl</c>), whether or not that is one this
/// service can follow: <see cref="Source"/> is null when <see cref="XmlUrl"/> is not an absolute http(s) URL.
/// </summary>
/// <param name="Position">Its place among the feed outlines of the document, from 1, in document order.</param>
/// <param name="XmlUrl">The <c>xmlUrl</c> attribute as written.</param>
public sealed record OpmlOutline(int Position, string XmlUrl, OpmlSource? Source);

/// <summary>Reads and writes OPML 2.0 subscription lists.</summary>
public static class Opml
{
    /// <summary>The feeds of <see cref="ParseOutlines"/> that are http(s) URLs, in document order.</summary>
    public static IReadOnlyList<OpmlSource> Parse(ReadOnlyMemory<byte> body, Uri? documentUrl = null) =>
        [.. ParseOutlines(body, documentUrl).Select(o => o.Source).OfType<OpmlSource>()];

    /// <summary>
    /// Every outline with an <c>xmlUrl</c>, in document order. Its categories are the text of each enclosing
    /// folder outline followed by the segments of its <c>category</c> attribute (comma-separated, slash-delimited paths).
    /// </summary>
    public static IReadOnlyList<OpmlOutline> ParseOutlines(ReadOnlyMemory<byte> body, Uri? documentUrl = null)
    {
        if (body.Length > FeedLimits.MaxBodyBytes)
        {
            throw new FeedParseException($"The OPML document is larger than {FeedLimits.MaxBodyBytes / (1024 * 1024)} MiB.");
        }

        var root = SafeXml.Load(FeedEncoding.Decode(body.Span, null));
        if (root.LocalName != "opml")
        {
            throw new FeedParseException($"The document's root element <{root.LocalName}> is not <opml>.");
        }

        var baseUrl = documentUrl ?? new Uri("about:blank");
        var outlines = root.Element("body") ?? throw new FeedParseException("The OPML document has no <body>.");
        var feeds = new List<OpmlOutline>();
        var pending = new Stack<(SafeXmlElement Outline, string[] Folders)>();
        foreach (var outline in outlines.Elements("outline").Reverse())
        {
            pending.Push((outline, []));
        }

        while (pending.TryPop(out var next))
        {
            var (outline, folders) = next;
            var label = FeedHtml.CollapseWhitespace(outline.Attribute("text") ?? outline.Attribute("title"));
            var written = outline.Attribute("xmlUrl") ?? outline.Attribute("xmlurl");
            if (written is not null)
            {
                var xmlUrl = FeedHtml.AbsoluteHttp(written, baseUrl);
                feeds.Add(new OpmlOutline(feeds.Count + 1, written, xmlUrl is null ? null : new OpmlSource
                {
                    XmlUrl = xmlUrl,
                    Title = FeedHtml.CollapseWhitespace(outline.Attribute("title")) ?? label,
                    HtmlUrl = FeedHtml.AbsoluteHttp(outline.Attribute("htmlUrl") ?? outline.Attribute("htmlurl"), baseUrl),
                    Categories = Categories(folders, outline.Attribute("category")),
                }));
                if (feeds.Count > FeedLimits.MaxItems)
                {
                    throw new FeedParseException($"The OPML document lists more than {FeedLimits.MaxItems:N0} feeds.");
                }
            }

            var inner = label is null || written is not null ? folders : [.. folders, label];
            foreach (var child in outline.Elements("outline").Reverse())
            {
                pending.Push((child, inner));
            }
        }

        return feeds;
    }

    /// <summary>An OPML 2.0 document listing <paramref name="sources"/> as flat outlines with a <c>category</c> attribute.</summary>
    public static string Write(IEnumerable<OpmlSource> sources, string title, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var head = new XElement("head", new XElement("title", title));
        if (created is not null)
        {
            head.Add(new XElement("dateCreated", created.Value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture)));
        }

        var body = new XElement("body");
        foreach (var source in sources)
        {
            var name = source.Title ?? source.XmlUrl.AbsoluteUri;
            var outline = new XElement("outline",
                new XAttribute("type", "rss"),
                new XAttribute("text", name),
                new XAttribute("title", name),
                new XAttribute("xmlUrl", source.XmlUrl.AbsoluteUri));
            if (source.HtmlUrl is not null)
            {
                outline.Add(new XAttribute("htmlUrl", source.HtmlUrl.AbsoluteUri));
            }

            // Commas separate categories and slashes nest them in OPML, so neither can appear inside one.
            var categories = source.Categories
                .Select(c => FeedHtml.CollapseWhitespace(c.Replace(',', ' ').Replace('/', ' ')))
                .OfType<string>()
                .ToList();
            if (categories.Count > 0)
            {
                outline.Add(new XAttribute("category", string.Join(',', categories)));
            }

            body.Add(outline);
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("opml", new XAttribute("version", "2.0"), head, body));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string[] Categories(string[] folders, string? attribute)
    {
        var result = new List<string>(folders);
        if (!string.IsNullOrWhiteSpace(attribute))
        {
            foreach (var path in attribute.Split(','))
            {
                foreach (var segment in path.Split('/'))
                {
                    var clean = FeedHtml.CollapseWhitespace(segment);
                    if (clean is not null)
                    {
                        result.Add(clean);
                    }
                }
            }
        }

        return [.. result.Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
