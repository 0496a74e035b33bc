namespace Feeds.Core.Parsing;

/// <summary>RSS 0.90, 0.91, 0.92 and 2.0 (<c>&lt;rss&gt;</c>) and RSS 1.0 (<c>&lt;rdf:RDF&gt;</c>), with the Dublin Core and content modules.</summary>
internal static class RssReader
{
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    private const string Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";
    private const string DcTerms = "http://purl.org/dc/terms/";
    private const string Atom = "http://www.w3.org/2005/Atom";

    public static ParsedFeed ReadRss(SafeXmlElement root, Uri documentUrl)
    {
        var ns = root.Namespace;
        var channel = root.Element(ns, "channel") ?? throw new FeedParseException("The RSS document has no <channel> element.");
        var version = root.Attribute("version")?.Trim();
        var format = version switch
        {
            "0.91" => FeedFormat.Rss091,
            "0.92" or "0.93" or "0.94" => FeedFormat.Rss092,
            _ => FeedFormat.Rss20,
        };
        var items = new List<SafeXmlElement>(channel.Elements(ns, "item"));
        items.AddRange(root.Elements(ns, "item"));
        return Read(format, channel, items, ns, documentUrl);
    }

    public static ParsedFeed ReadRdf(SafeXmlElement root, Uri documentUrl)
    {
        var channel = FirstNamed(root, "channel")
            ?? throw new FeedParseException("The RDF document has no <channel> element, so it is not an RSS 1.0 or 0.90 feed.");
        var ns = channel.Namespace;
        var format = ns == Rss090 ? FeedFormat.Rss090 : FeedFormat.Rss10;
        var items = new List<SafeXmlElement>(root.Elements(ns, "item"));
        items.AddRange(channel.Elements(ns, "item"));
        return Read(format, channel, items, ns, documentUrl);
    }

    private static ParsedFeed Read(FeedFormat format, SafeXmlElement channel, List<SafeXmlElement> items, string ns, Uri documentUrl)
    {
        var channelBase = SafeXml.BaseOf(channel, documentUrl);
        var ttl = channel.Element(ns, "ttl")?.Value.Trim();
        var siteUrl = FeedHtml.AbsoluteHttp(channel.Element(ns, "link")?.Value, channelBase);
        var parsed = new List<ParsedItem>(items.Count);
        foreach (var item in items)
        {
            parsed.Add(ReadItem(item, ns, siteUrl, documentUrl));
        }

        return new ParsedFeed
        {
            Format = format,
            Title = FeedHtml.ToText(channel.Element(ns, "title")?.Value ?? channel.Element(Dc, "title")?.Value),
            SiteUrl = siteUrl,
            SelfUrl = SelfUrl(channel, documentUrl),
            Description = FeedHtml.ToText(channel.Element(ns, "description")?.Value ?? channel.Element(Dc, "description")?.Value),
            TtlMinutes = int.TryParse(ttl, out var minutes) && minutes >= 0 ? minutes : null,
            Items = ItemFactory.FirstOfEachKey(parsed),
        };
    }

    /// <summary>The first child element with the local name, whatever its namespace.</summary>
    private static SafeXmlElement? FirstNamed(SafeXmlElement parent, string localName)
    {
        foreach (var element in parent.Elements())
        {
            if (element.LocalName == localName)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>The first usable <c>atom:link rel="self"</c> of the channel.</summary>
    private static Uri? SelfUrl(SafeXmlElement channel, Uri documentUrl)
    {
        foreach (var link in channel.Elements(Atom, "link"))
        {
            if (link.Attribute("rel") == "self" && FeedHtml.AbsoluteHttp(link.Attribute("href"), SafeXml.BaseOf(link, documentUrl)) is { } url)
            {
                return url;
            }
        }

        return null;
    }

    private static ParsedItem ReadItem(SafeXmlElement item, string ns, Uri? siteUrl, Uri documentUrl)
    {
        var baseUrl = SafeXml.BaseOf(item, documentUrl);
        var guidElement = item.Element(ns, "guid");
        var guid = guidElement?.Value;
        var id = string.IsNullOrWhiteSpace(guid) ? item.Attribute(Rdf, "about") : guid;

        var url = FeedHtml.AbsoluteHttp(item.Element(ns, "link")?.Value, baseUrl);
        if (url is null && guidElement is not null && guidElement.Attribute("isPermaLink") != "false"
            && Uri.TryCreate(guid?.Trim(), UriKind.Absolute, out var permalink))
        {
            url = FeedHtml.AbsoluteHttp(permalink.OriginalString, baseUrl);
        }

        url ??= FeedHtml.AbsoluteHttp(item.Attribute(Rdf, "about"), baseUrl);

        // RSS has no notion of a base for embedded HTML; it was written for the item's own page.
        var contentBase = SafeXml.HasBase(item) ? baseUrl : url ?? siteUrl ?? documentUrl;
        var published = FeedDates.Parse(item.Element(ns, "pubDate")?.Value)
            ?? FeedDates.Parse(item.Element(Dc, "date")?.Value)
            ?? FeedDates.Parse(item.Element(DcTerms, "issued")?.Value);
        var updated = FeedDates.Parse(item.Element(Atom, "updated")?.Value)
            ?? FeedDates.Parse(item.Element(DcTerms, "modified")?.Value);

        return ItemFactory.Create(
            id,
            url,
            FeedHtml.ToText(item.Element(ns, "title")?.Value ?? item.Element(Dc, "title")?.Value),
            FeedHtml.ResolveLinks(item.Element(ns, "description")?.Value, contentBase),
            FeedHtml.ResolveLinks(item.Element(Content, "encoded")?.Value, contentBase),
            published,
            updated,
            Categories(item, ns),
            Authors(item, ns));
    }

    private static List<string?> Categories(SafeXmlElement item, string ns)
    {
        var categories = new List<string?>();
        foreach (var category in item.Elements(ns, "category"))
        {
            categories.Add(category.Value);
        }

        foreach (var subject in item.Elements(Dc, "subject"))
        {
            categories.Add(subject.Value);
        }

        return categories;
    }

    private static List<string?> Authors(SafeXmlElement item, string ns)
    {
        var authors = new List<string?>();
        foreach (var author in item.Elements(ns, "author"))
        {
            authors.Add(AuthorName(author.Value));
        }

        foreach (var creator in item.Elements(Dc, "creator"))
        {
            authors.Add(creator.Value);
        }

        return authors;
    }

    /// <summary>RSS authors are "address (Name)"; the name is what a reader wants to see.</summary>
    private static string? AuthorName(string value)
    {
        var open = value.IndexOf('(', StringComparison.Ordinal);
        var close = value.LastIndexOf(')');
        if (open >= 0 && close > open + 1 && value[..open].Contains('@', StringComparison.Ordinal))
        {
            return value[(open + 1)..close];
        }

        return value;
    }
}
