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

/// <summary>Reads and writes OPML 2.0 subscription lists.</summary>
public static class Opml
{
    /// <summary>
    /// Every outline with an <c>xmlUrl</c>, in document order. Its categories are the text of each enclosing
    /// folder outline followed by the segments of its <c>category</c> attribute (comma-separated, slash-delimited paths).
    /// Outlines whose <c>xmlUrl</c> is not an http(s) URL are skipped.
    /// </summary>
    public static IReadOnlyList<OpmlSource> Parse(ReadOnlyMemory<byte> body, Uri? documentUrl = null)
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
        var sources = new List<OpmlSource>();
        var pending = new Stack<(SafeXmlElement Outline, string[] Folders)>();
        foreach (var outline in outlines.Elements("outline").Reverse())
        {
            pending.Push((outline, []));
        }

        while (pending.TryPop(out var next))
        {
            var (outline, folders) = next;
            var label = FeedHtml.CollapseWhitespace(outline.Attribute("text") ?? outline.Attribute("title"));
            var xmlUrl = FeedHtml.AbsoluteHttp(outline.Attribute("xmlUrl") ?? outline.Attribute("xmlurl"), baseUrl);
            if (xmlUrl is not null)
            {
                sources.Add(new OpmlSource
                {
                    XmlUrl = xmlUrl,
                    Title = FeedHtml.CollapseWhitespace(outline.Attribute("title")) ?? label,
                    HtmlUrl = FeedHtml.AbsoluteHttp(outline.Attribute("htmlUrl") ?? outline.Attribute("htmlurl"), baseUrl),
                    Categories = Categories(folders, outline.Attribute("category")),
                });
                if (sources.Count > FeedLimits.MaxItems)
                {
                    throw new FeedParseException($"The OPML document lists more than {FeedLimits.MaxItems:N0} feeds.");
                }
            }

            var inner = label is null || xmlUrl is not null ? folders : [.. folders, label];
            foreach (var child in outline.Elements("outline").Reverse())
            {
                pending.Push((child, inner));
            }
        }

        return sources;
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
