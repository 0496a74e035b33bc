namespace Feeds.Core.Parsing;

/// <summary>RSS 0.90, 0.91, 0.92 and 2.0 (<c>&lt;rss&gt;</c>) and RSS 1.0 (<c>&lt;rdf:RDF&gt;</c>), with the extensions <see cref="ItemExtensions"/> reads.</summary>
internal static class RssReader
{
    public const string Rdf = FeedNamespaces.Rdf;

    /// <summary>What a document without a channel or items is read as, and told to its owner.</summary>
    private const string EmptyWarning = "The document has no channel and no items; it was read as an empty feed.";

    public static ParsedFeed ReadRss(SafeXmlElement root, Uri documentUrl)
    {
        var ns = root.Namespace;
        var version = root.Attribute("version")?.Trim();
        var format = version switch
        {
            "0.91" => FeedFormat.Rss091,
            "0.92" or "0.93" or "0.94" => FeedFormat.Rss092,
            _ => FeedFormat.Rss20,
        };
        var channel = root.Element(ns, "channel");
        var items = channel is null ? [] : new List<SafeXmlElement>(channel.Elements(ns, "item"));
        items.AddRange(root.Elements(ns, "item"));
        return Read(format, channel, items, ns, documentUrl);
    }

    public static ParsedFeed ReadRdf(SafeXmlElement root, Uri documentUrl)
    {
        var channel = FirstNamed(root, "channel");
        var ns = channel?.Namespace ?? FirstNamed(root, "item")?.Namespace ?? FeedNamespaces.Rss10;
        var format = ns == FeedNamespaces.Rss090 ? FeedFormat.Rss090 : FeedFormat.Rss10;
        var items = new List<SafeXmlElement>(root.Elements(ns, "item"));
        if (channel is not null)
        {
            items.AddRange(channel.Elements(ns, "item"));
        }

        return Read(format, channel, items, ns, documentUrl);
    }

    private static ParsedFeed Read(FeedFormat format, SafeXmlElement? channel, List<SafeXmlElement> items, string ns, Uri documentUrl)
    {
        if (channel is null && items.Count == 0)
        {
            return new ParsedFeed { Format = format, Items = [], Warnings = [EmptyWarning] };
        }

        var ttl = channel?.Element(ns, "ttl")?.Value.Trim();
        var siteUrl = channel is null ? null : FirstLink(channel, ns, documentUrl);
        var parsed = new List<ParsedItem>(items.Count);
        foreach (var item in items)
        {
            parsed.Add(ReadItem(item, ns, siteUrl, documentUrl));
        }

        return new ParsedFeed
        {
            Format = format,
            Title = FeedHtml.ToText(channel?.Element(ns, "title")?.Value ?? channel?.Element(FeedNamespaces.Dc, "title")?.Value),
            SiteUrl = siteUrl,
            SelfUrl = channel is null ? null : AtomLink(channel, "self", documentUrl),
            HubUrl = channel is null ? null : AtomLink(channel, "hub", documentUrl),
            Description = FeedHtml.ToText(channel?.Element(ns, "description")?.Value
                ?? channel?.Element(FeedNamespaces.Dc, "description")?.Value
                ?? channel?.Element(FeedNamespaces.Itunes, "summary")?.Value),
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

    /// <summary>
    /// Of several <c>link</c> elements, the first written as an absolute http(s) URL; when none is, the first that
    /// resolves against the base in effect.
    /// </summary>
    private static Uri? FirstLink(SafeXmlElement parent, string ns, Uri documentUrl)
    {
        Uri? relative = null;
        foreach (var link in parent.Elements(ns, "link"))
        {
            var value = link.Value.Trim();
            // "/path" is an absolute file URI to Uri on Unix, so the scheme is what tells a written-out URL.
            if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
            {
                return absolute;
            }

            relative ??= FeedHtml.AbsoluteHttp(value, SafeXml.BaseOf(link, documentUrl));
        }

        return relative;
    }

    /// <summary>The first <c>atom:link</c> of an RSS item that is an alternate (or has no relation).</summary>
    private static Uri? AtomAlternate(SafeXmlElement item, Uri documentUrl)
    {
        foreach (var link in item.Elements(FeedNamespaces.Atom10, "link"))
        {
            if ((link.Attribute("rel")?.Trim() ?? "alternate") == "alternate"
                && FeedHtml.AbsoluteHttp(link.Attribute("href"), SafeXml.BaseOf(link, documentUrl)) is { } url)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>The first usable <c>atom:link</c> of the channel with the relation <paramref name="rel"/>.</summary>
    private static Uri? AtomLink(SafeXmlElement channel, string rel, Uri documentUrl)
    {
        foreach (var link in channel.Elements(FeedNamespaces.Atom10, "link"))
        {
            if (link.Attribute("rel")?.Trim() == rel && FeedHtml.AbsoluteHttp(link.Attribute("href"), SafeXml.BaseOf(link, documentUrl)) is { } url)
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
        var draft = new ItemDraft
        {
            Id = string.IsNullOrWhiteSpace(guid) ? item.Attribute(Rdf, "about") : guid,
            Url = FirstLink(item, ns, documentUrl) ?? AtomAlternate(item, documentUrl),
            Title = FeedHtml.ToText(item.Element(ns, "title")?.Value),
            Published = FeedDates.Parse(item.Element(ns, "pubDate")?.Value),
        };

        if (draft.Url is null && guidElement is not null && guidElement.Attribute("isPermaLink") != "false"
            && Uri.TryCreate(guid?.Trim(), UriKind.Absolute, out var permalink))
        {
            draft.Url = FeedHtml.AbsoluteHttp(permalink.OriginalString, baseUrl);
        }

        // RSS has no notion of a base for embedded HTML; it was written for the item's own page.
        var contentBase = SafeXml.HasBase(item) ? baseUrl : draft.Url ?? siteUrl ?? documentUrl;
        draft.SummaryHtml = XmlMarkup.InnerHtml(item.Element(ns, "description"), documentUrl, contentBase);

        foreach (var author in item.Elements(ns, "author"))
        {
            if (AuthorText.Parse(author.Value) is { } parsed)
            {
                draft.Authors.Add(parsed);
            }
        }

        foreach (var category in item.Elements(ns, "category"))
        {
            draft.AddCategory(category.Value, scheme: category.Attribute("domain"));
        }

        foreach (var enclosure in item.Elements(ns, "enclosure"))
        {
            draft.AddEnclosure(enclosure.Attribute("url"), enclosure.Attribute("type"), enclosure.Attribute("length"), SafeXml.BaseOf(enclosure, documentUrl));
        }

        foreach (var link in item.Elements(FeedNamespaces.Atom10, "link"))
        {
            if (link.Attribute("rel")?.Trim() == "enclosure")
            {
                draft.AddEnclosure(link.Attribute("href"), link.Attribute("type"), link.Attribute("length"), SafeXml.BaseOf(link, documentUrl));
            }
        }

        ItemExtensions.Apply(item, draft, documentUrl, contentBase);
        draft.Url ??= FeedHtml.AbsoluteHttp(item.Attribute(Rdf, "about"), baseUrl);
        return ItemFactory.Create(draft);
    }
}
