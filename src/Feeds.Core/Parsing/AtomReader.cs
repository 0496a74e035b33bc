using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>Atom 1.0 (RFC 4287) and its predecessor Atom 0.3, whose text constructs use <c>mode</c> and MIME types.</summary>
internal static class AtomReader
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    private const string Dc = "http://purl.org/dc/elements/1.1/";

    private static readonly HashSet<string> VoidElements =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    private enum Kind
    {
        Text,
        Html,
        Xhtml,
        Other,
    }

    public static ParsedFeed Read(SafeXmlElement feed, Uri documentUrl)
    {
        var ns = feed.Namespace;
        var format = ns == Atom03 || feed.Attribute("version") == "0.3" ? FeedFormat.Atom03 : FeedFormat.Atom10;
        var entries = new List<SafeXmlElement>(feed.Elements(ns, "entry"));
        var feedAuthors = Authors(feed, ns);
        var items = new List<ParsedItem>(entries.Count);
        foreach (var entry in entries)
        {
            items.Add(ReadEntry(entry, ns, feedAuthors, documentUrl));
        }

        return new ParsedFeed
        {
            Format = format,
            Title = Text(feed.Element(ns, "title")),
            SiteUrl = Link(feed, ns, "alternate", documentUrl),
            SelfUrl = Link(feed, ns, "self", documentUrl),
            Description = Text(feed.Element(ns, "subtitle") ?? feed.Element(ns, "tagline")),
            Items = ItemFactory.FirstOfEachKey(items),
        };
    }

    private static ParsedItem ReadEntry(SafeXmlElement entry, string ns, List<string?> feedAuthors, Uri documentUrl)
    {
        var authors = Authors(entry, ns);
        if (authors.Count == 0)
        {
            authors = Authors(entry.Element(ns, "source"), ns);
        }

        return ItemFactory.Create(
            entry.Element(ns, "id")?.Value,
            Link(entry, ns, "alternate", documentUrl),
            Text(entry.Element(ns, "title")),
            Html(entry.Element(ns, "summary"), documentUrl),
            Html(entry.Element(ns, "content"), documentUrl),
            FeedDates.Parse(entry.Element(ns, "published")?.Value)
                ?? FeedDates.Parse(entry.Element(ns, "issued")?.Value)
                ?? FeedDates.Parse(entry.Element(ns, "created")?.Value),
            FeedDates.Parse(entry.Element(ns, "updated")?.Value) ?? FeedDates.Parse(entry.Element(ns, "modified")?.Value),
            Categories(entry, ns),
            authors.Count > 0 ? authors : feedAuthors);
    }

    private static List<string?> Categories(SafeXmlElement entry, string ns)
    {
        var categories = new List<string?>();
        foreach (var category in entry.Elements(ns, "category"))
        {
            categories.Add(category.Attribute("label") ?? category.Attribute("term"));
        }

        foreach (var subject in entry.Elements(Dc, "subject"))
        {
            categories.Add(subject.Value);
        }

        return categories;
    }

    private static List<string?> Authors(SafeXmlElement? parent, string ns)
    {
        var authors = new List<string?>();
        if (parent is null)
        {
            return authors;
        }

        foreach (var author in parent.Elements(ns, "author"))
        {
            var name = FeedHtml.CollapseWhitespace(author.Element(ns, "name")?.Value) ?? FeedHtml.CollapseWhitespace(author.Element(ns, "email")?.Value);
            if (name is not null)
            {
                authors.Add(name);
            }
        }

        return authors;
    }

    /// <summary>The first link with the relation, preferring an HTML page; a link without <c>rel</c> is an alternate.</summary>
    private static Uri? Link(SafeXmlElement parent, string ns, string rel, Uri documentUrl)
    {
        SafeXmlElement? best = null;
        foreach (var link in parent.Elements(ns, "link"))
        {
            var linkRel = link.Attribute("rel")?.Trim() ?? "alternate";
            if (!string.Equals(linkRel, rel, StringComparison.OrdinalIgnoreCase) && linkRel != "http://www.iana.org/assignments/relation/" + rel)
            {
                continue;
            }

            var type = link.Attribute("type");
            if (best is null || (rel == "alternate" && type is "text/html" or "application/xhtml+xml" && best.Attribute("type") is not ("text/html" or "application/xhtml+xml" or null)))
            {
                best = link;
            }
        }

        return best is null ? null : FeedHtml.AbsoluteHttp(best.Attribute("href"), SafeXml.BaseOf(best, documentUrl));
    }

    private static string? Text(SafeXmlElement? construct) =>
        construct is null
            ? null
            : KindOf(construct) switch
            {
                Kind.Html => FeedHtml.ToText(Value(construct)),
                _ => FeedHtml.CollapseWhitespace(Value(construct)),
            };

    private static string? Html(SafeXmlElement? construct, Uri documentUrl)
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

    private static Kind KindOf(SafeXmlElement construct)
    {
        var type = construct.Attribute("type")?.Trim().ToLowerInvariant();
        var mode = construct.Attribute("mode")?.Trim().ToLowerInvariant();
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
    private static string Value(SafeXmlElement construct)
    {
        if (construct.Attribute("mode")?.Trim().Equals("base64", StringComparison.OrdinalIgnoreCase) == true)
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
    private static string? Xhtml(SafeXmlElement construct)
    {
        var container = OnlyDiv(construct) ?? construct;
        var builder = new StringBuilder();
        foreach (var node in container.Nodes)
        {
            Write(node, builder);
        }

        return builder.ToString();
    }

    /// <summary>The construct's single <c>div</c> child when it has no other child elements and no text but whitespace beside it.</summary>
    private static SafeXmlElement? OnlyDiv(SafeXmlElement construct)
    {
        SafeXmlElement? div = null;
        foreach (var node in construct.Nodes)
        {
            if (node is string text)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
            }
            else if (div is not null || ((SafeXmlElement)node).LocalName != "div")
            {
                return null;
            }
            else
            {
                div = (SafeXmlElement)node;
            }
        }

        return div;
    }

    /// <summary>Writes a node of <see cref="SafeXmlElement.Nodes"/>: text escaped, an element with its attributes and content.</summary>
    private static void Write(object node, StringBuilder builder)
    {
        if (node is string text)
        {
            FeedHtml.Escape(text, builder, attribute: false);
            return;
        }

        var element = (SafeXmlElement)node;
        var name = element.LocalName;
        builder.Append('<').Append(name);
        foreach (var (ns, localName, value) in element.Attributes)
        {
            if (ns.Length != 0)
            {
                continue;
            }

            builder.Append(' ').Append(localName).Append("=\"");
            FeedHtml.Escape(value, builder, attribute: true);
            builder.Append('"');
        }

        builder.Append('>');
        if (VoidElements.Contains(name))
        {
            return;
        }

        foreach (var child in element.Nodes)
        {
            Write(child, builder);
        }

        builder.Append("</").Append(name).Append('>');
    }
}
