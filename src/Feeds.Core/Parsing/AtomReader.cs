using System.Text;
using System.Xml.Linq;

namespace Feeds.Core.Parsing;

/// <summary>Atom 1.0 (RFC 4287) and its predecessor Atom 0.3, whose text constructs use <c>mode</c> and MIME types.</summary>
internal static class AtomReader
{
    public static readonly XNamespace Atom10 = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    private static readonly HashSet<string> VoidElements =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    private enum Kind
    {
        Text,
        Html,
        Xhtml,
        Other,
    }

    public static ParsedFeed Read(XElement feed, Uri documentUrl)
    {
        var ns = feed.Name.Namespace;
        var format = ns == Atom03 || (string?)feed.Attribute("version") == "0.3" ? FeedFormat.Atom03 : FeedFormat.Atom10;
        var entries = feed.Elements(ns + "entry").ToList();
        ItemFactory.CheckCount(entries.Count);
        var feedAuthors = Authors(feed, ns);
        return new ParsedFeed
        {
            Format = format,
            Title = Text(feed.Element(ns + "title")),
            SiteUrl = Link(feed, ns, "alternate", documentUrl),
            SelfUrl = Link(feed, ns, "self", documentUrl),
            Description = Text(feed.Element(ns + "subtitle") ?? feed.Element(ns + "tagline")),
            Items = ItemFactory.FirstOfEachKey(entries.Select(entry => ReadEntry(entry, ns, feedAuthors, documentUrl))),
        };
    }

    private static ParsedItem ReadEntry(XElement entry, XNamespace ns, List<string?> feedAuthors, Uri documentUrl)
    {
        var authors = Authors(entry, ns);
        if (authors.Count == 0)
        {
            authors = Authors(entry.Element(ns + "source"), ns);
        }

        return ItemFactory.Create(
            entry.Element(ns + "id")?.Value,
            Link(entry, ns, "alternate", documentUrl),
            Text(entry.Element(ns + "title")),
            Html(entry.Element(ns + "summary"), documentUrl),
            Html(entry.Element(ns + "content"), documentUrl),
            FeedDates.Parse(entry.Element(ns + "published")?.Value)
                ?? FeedDates.Parse(entry.Element(ns + "issued")?.Value)
                ?? FeedDates.Parse(entry.Element(ns + "created")?.Value),
            FeedDates.Parse(entry.Element(ns + "updated")?.Value) ?? FeedDates.Parse(entry.Element(ns + "modified")?.Value),
            entry.Elements(ns + "category").Select(c => (string?)c.Attribute("label") ?? (string?)c.Attribute("term"))
                .Concat(entry.Elements(Dc + "subject").Select(s => s.Value)),
            authors.Count > 0 ? authors : feedAuthors);
    }

    private static List<string?> Authors(XElement? parent, XNamespace ns) =>
        parent is null
            ? []
            : parent.Elements(ns + "author")
                .Select(a => FeedHtml.CollapseWhitespace(a.Element(ns + "name")?.Value) ?? FeedHtml.CollapseWhitespace(a.Element(ns + "email")?.Value))
                .Where(a => a is not null)
                .ToList();

    /// <summary>The first link with the relation, preferring an HTML page; a link without <c>rel</c> is an alternate.</summary>
    private static Uri? Link(XElement parent, XNamespace ns, string rel, Uri documentUrl)
    {
        XElement? best = null;
        foreach (var link in parent.Elements(ns + "link"))
        {
            var linkRel = ((string?)link.Attribute("rel"))?.Trim() ?? "alternate";
            if (!string.Equals(linkRel, rel, StringComparison.OrdinalIgnoreCase) && linkRel != "http://www.iana.org/assignments/relation/" + rel)
            {
                continue;
            }

            var type = (string?)link.Attribute("type");
            if (best is null || (rel == "alternate" && type is "text/html" or "application/xhtml+xml" && (string?)best.Attribute("type") is not ("text/html" or "application/xhtml+xml" or null)))
            {
                best = link;
            }
        }

        return best is null ? null : FeedHtml.AbsoluteHttp((string?)best.Attribute("href"), SafeXml.BaseOf(best, documentUrl));
    }

    private static string? Text(XElement? construct) =>
        construct is null
            ? null
            : KindOf(construct) switch
            {
                Kind.Html => FeedHtml.ToText(Value(construct)),
                _ => FeedHtml.CollapseWhitespace(Value(construct)),
            };

    private static string? Html(XElement? construct, Uri documentUrl)
    {
        if (construct is null || construct.Attribute("src") is not null)
        {
            return null;
        }

        var html = KindOf(construct) switch
        {
            Kind.Html => Value(construct),
            Kind.Xhtml => Xhtml(construct),
            Kind.Text => FeedHtml.FromText(Value(construct)),
            _ => null,
        };
        return FeedHtml.ResolveLinks(html, SafeXml.BaseOf(construct, documentUrl));
    }

    private static Kind KindOf(XElement construct)
    {
        var type = ((string?)construct.Attribute("type"))?.Trim().ToLowerInvariant();
        var mode = ((string?)construct.Attribute("mode"))?.Trim().ToLowerInvariant();
        var kind = type switch
        {
            null or "" or "text" or "text/plain" => Kind.Text,
            "html" or "text/html" => Kind.Html,
            "xhtml" or "application/xhtml+xml" => Kind.Xhtml,
            _ when type.StartsWith("text/", StringComparison.Ordinal) => Kind.Text,
            _ => Kind.Other,
        };

        // Atom 0.3 carried HTML either escaped or as inline elements ("xml" mode, its default).
        if (kind == Kind.Html && mode is null or "xml" && construct.HasElements)
        {
            return Kind.Xhtml;
        }

        return kind;
    }

    /// <summary>The construct's character content, base64 decoded for Atom 0.3's <c>mode="base64"</c>.</summary>
    private static string Value(XElement construct)
    {
        if (((string?)construct.Attribute("mode"))?.Trim().Equals("base64", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(construct.Value.Trim()));
            }
            catch (FormatException)
            {
                return string.Empty;
            }
        }

        return construct.Value;
    }

    /// <summary>Inline XHTML written out as HTML: the wrapping div dropped, namespace prefixes gone.</summary>
    private static string? Xhtml(XElement construct)
    {
        var elements = construct.Elements().ToList();
        var container = elements.Count == 1 && elements[0].Name.LocalName == "div" && string.IsNullOrWhiteSpace(string.Concat(construct.Nodes().OfType<XText>().Select(t => t.Value)))
            ? elements[0]
            : construct;
        var builder = new StringBuilder();
        foreach (var node in container.Nodes())
        {
            Write(node, builder);
        }

        return builder.ToString();
    }

    private static void Write(XNode node, StringBuilder builder)
    {
        if (node is XText text)
        {
            FeedHtml.Escape(text.Value, builder, attribute: false);
            return;
        }

        if (node is not XElement element)
        {
            return;
        }

        var name = element.Name.LocalName;
        builder.Append('<').Append(name);
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.None)
            {
                continue;
            }

            builder.Append(' ').Append(attribute.Name.LocalName).Append("=\"");
            FeedHtml.Escape(attribute.Value, builder, attribute: true);
            builder.Append('"');
        }

        builder.Append('>');
        if (VoidElements.Contains(name))
        {
            return;
        }

        foreach (var child in element.Nodes())
        {
            Write(child, builder);
        }

        builder.Append("</").Append(name).Append('>');
    }
}
