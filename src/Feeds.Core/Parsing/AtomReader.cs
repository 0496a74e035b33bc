using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>Atom 1.0 (RFC 4287) and its predecessor Atom 0.3, whose text constructs use <c>mode</c> and MIME types.</summary>
internal static class AtomReader
{
    private enum Kind
    {
        Text,
        Html,
        Xhtml,

        /// <summary>An XML media type other than XHTML: the content is inline XML.</summary>
        Xml,

        /// <summary>Any other media type: the content is base64 (RFC 4287 section 4.1.3.3).</summary>
        Base64,
    }

    public static ParsedFeed Read(SafeXmlElement feed, Uri documentUrl)
    {
        var ns = feed.Namespace;
        var format = ns == FeedNamespaces.Atom03 || feed.Attribute("version") == "0.3" ? FeedFormat.Atom03 : FeedFormat.Atom10;
        var feedAuthors = Authors(feed, ns, documentUrl);
        var items = new List<ParsedItem>();
        foreach (var entry in feed.Elements(ns, "entry"))
        {
            items.Add(ReadEntry(entry, ns, feedAuthors, documentUrl));
        }

        return new ParsedFeed
        {
            Format = format,
            Title = Text(feed.Element(ns, "title")),
            SiteUrl = Link(feed, ns, "alternate", documentUrl),
            SelfUrl = Link(feed, ns, "self", documentUrl),
            HubUrl = Link(feed, ns, "hub", documentUrl),
            Description = Text(feed.Element(ns, "subtitle") ?? feed.Element(ns, "tagline")),
            Items = ItemFactory.FirstOfEachKey(items),
        };
    }

    private static ParsedItem ReadEntry(SafeXmlElement entry, string ns, List<ParsedAuthor> feedAuthors, Uri documentUrl)
    {
        var draft = new ItemDraft
        {
            Id = entry.Element(ns, "id")?.Value,
            Url = Link(entry, ns, "alternate", documentUrl),
            Title = Text(entry.Element(ns, "title")),
            SummaryHtml = ContentHtml(entry.Element(ns, "summary"), documentUrl),
            ContentHtml = ContentHtml(entry.Element(ns, "content"), documentUrl),
            Published = FeedDates.Parse(entry.Element(ns, "published")?.Value) ?? FeedDates.Parse(entry.Element(ns, "issued")?.Value),
            Updated = FeedDates.Parse(entry.Element(ns, "updated")?.Value) ?? FeedDates.Parse(entry.Element(ns, "modified")?.Value),
        };

        draft.Authors.AddRange(Authors(entry, ns, documentUrl));
        if (draft.Authors.Count == 0 && entry.Element(ns, "source") is { } source)
        {
            draft.Authors.AddRange(Authors(source, ns, documentUrl));
        }

        foreach (var category in entry.Elements(ns, "category"))
        {
            draft.AddCategory(category.Attribute("term"), category.Attribute("label"), category.Attribute("scheme"));
        }

        foreach (var link in entry.Elements(ns, "link"))
        {
            if (link.Attribute("rel")?.Trim() == "enclosure")
            {
                draft.AddEnclosure(link.Attribute("href"), link.Attribute("type"), link.Attribute("length"), SafeXml.BaseOf(link, documentUrl));
            }
        }

        ItemExtensions.Apply(entry, draft, documentUrl, documentUrl);

        // RFC 4287 section 4.2.1: an entry without authors has those of its feed.
        if (draft.Authors.Count == 0)
        {
            draft.Authors.AddRange(feedAuthors);
        }

        return ItemFactory.Create(draft);
    }

    /// <summary>The <c>author</c> elements of <paramref name="parent"/> in namespace <paramref name="ns"/>.</summary>
    public static List<ParsedAuthor> Authors(SafeXmlElement parent, string ns, Uri documentUrl)
    {
        var authors = new List<ParsedAuthor>();
        foreach (var author in parent.Elements(ns, "author"))
        {
            var name = FeedHtml.CollapseWhitespace(author.Element(ns, "name")?.Value);
            var email = FeedHtml.CollapseWhitespace(author.Element(ns, "email")?.Value);
            var uri = author.Element(ns, "uri") ?? author.Element(ns, "url");
            var url = uri is null ? null : FeedHtml.AbsoluteHttp(uri.Value, SafeXml.BaseOf(uri, documentUrl));
            if (name is not null || email is not null || url is not null)
            {
                authors.Add(new ParsedAuthor(name, email, url));
            }
            else if (AuthorText.Parse(author.Value) is { } written)
            {
                authors.Add(written);
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
                Kind.Xhtml or Kind.Xml => FeedHtml.ToText(XmlMarkup.Xhtml(construct, new Uri("about:blank"))),
                _ => FeedHtml.CollapseWhitespace(Value(construct)),
            };

    /// <summary>An Atom content or text construct as HTML, its links resolved against the <c>xml:base</c> in effect; null when blank or out of line.</summary>
    public static string? ContentHtml(SafeXmlElement? construct, Uri documentUrl)
    {
        if (construct is null || construct.Attribute("src") is not null)
        {
            return null;
        }

        return KindOf(construct) switch
        {
            Kind.Html => FeedHtml.ResolveLinks(Value(construct), SafeXml.BaseOf(construct, documentUrl)),
            Kind.Xhtml or Kind.Xml => XmlMarkup.Xhtml(construct, documentUrl),
            Kind.Text => FeedHtml.FromText(Value(construct)),
            _ => FeedHtml.FromText(DecodedText(construct.Value)),
        };
    }

    private static Kind KindOf(SafeXmlElement construct)
    {
        var type = construct.Attribute("type")?.Trim().ToLowerInvariant();
        var mode = construct.Attribute("mode")?.Trim().ToLowerInvariant();
        var semicolon = type?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        if (semicolon >= 0)
        {
            type = type![..semicolon].Trim();
        }

        var kind = type switch
        {
            null or "" or "text" or "text/plain" => Kind.Text,
            "html" or "text/html" => Kind.Html,
            "xhtml" or "application/xhtml+xml" => Kind.Xhtml,
            _ when type.StartsWith("text/", StringComparison.Ordinal) => Kind.Text,
            _ when type.EndsWith("+xml", StringComparison.Ordinal) || type.EndsWith("/xml", StringComparison.Ordinal) => Kind.Xml,
            _ => Kind.Base64,
        };

        // Atom 0.3 carried HTML either escaped or as inline elements ("xml" mode, its default).
        if (kind == Kind.Html && mode is null or "xml" && construct.HasElements)
        {
            return Kind.Xhtml;
        }

        return kind;
    }

    /// <summary>The construct's character content, base64 decoded for Atom 0.3's <c>mode="base64"</c>.</summary>
    private static string Value(SafeXmlElement construct) =>
        construct.Attribute("mode")?.Trim().Equals("base64", StringComparison.OrdinalIgnoreCase) == true
            ? DecodedText(construct.Value) ?? string.Empty
            : construct.Value;

    /// <summary>Base64 content as text when it decodes to UTF-8; null for binary content, which has no text to show.</summary>
    private static string? DecodedText(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64.Trim());
            return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
