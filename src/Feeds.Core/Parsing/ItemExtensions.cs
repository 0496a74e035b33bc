namespace Feeds.Core.Parsing;

/// <summary>
/// What the namespaced extensions add to an item of any XML format, each used only where the format's own element
/// left the field empty. The precedence, first present wins:
/// <list type="bullet">
/// <item>title: the format's <c>title</c>, <c>dc:title</c>, <c>media:title</c>;</item>
/// <item>summary: <c>description</c>/<c>summary</c>, <c>dc:description</c>, <c>itunes:summary</c>, <c>media:description</c>;</item>
/// <item>content: <c>content:encoded</c> or Atom <c>content</c>, <c>xhtml:body</c>, <c>atom:content</c>;</item>
/// <item>authors: the format's authors, <c>dc:creator</c>, <c>itunes:author</c>, <c>atom:author</c>;</item>
/// <item>published: <c>pubDate</c>/<c>published</c> (Atom 0.3 <c>issued</c>), <c>dcterms:issued</c>, <c>atom:published</c>;
/// updated: <c>updated</c> (Atom 0.3 <c>modified</c>), <c>atom:updated</c>, <c>dcterms:modified</c>, <c>dc:date</c> (as the
/// reference parser maps them: <c>dc:date</c> is an update date);</item>
/// <item>categories and enclosures are gathered from all of them: <c>category</c>, <c>dc:subject</c>, <c>itunes:category</c>,
/// <c>media:category</c>; <c>enclosure</c>, links with <c>rel="enclosure"</c>, <c>media:content</c>;</item>
/// <item>image: <c>media:thumbnail</c>, then <c>itunes:image</c>.</item>
/// </list>
/// Media RSS elements count directly in the item or inside its <c>media:group</c>. An RSS item's link is its first
/// absolute <c>link</c>, then an alternate <c>atom:link</c>, then its <c>guid</c> when that is a permalink, then <c>rdf:about</c>.
/// </summary>
internal static class ItemExtensions
{
    public static void Apply(SafeXmlElement item, ItemDraft draft, Uri documentUrl, Uri contentBase)
    {
        var media = MediaElements(item);
        var ns = FeedNamespaces.Dc;
        draft.Title ??= FeedHtml.ToText(item.Element(ns, "title")?.Value) ?? MediaText(media, "title");

        draft.SummaryHtml ??= XmlMarkup.InnerHtml(item.Element(ns, "description"), documentUrl, contentBase)
            ?? FeedHtml.FromText(item.Element(FeedNamespaces.Itunes, "summary")?.Value)
            ?? MediaHtml(media, "description", documentUrl, contentBase);

        draft.ContentHtml ??= XmlMarkup.InnerHtml(item.Element(FeedNamespaces.Content, "encoded"), documentUrl, contentBase)
            ?? XmlMarkup.InnerHtml(item.Element(FeedNamespaces.Xhtml, "body"), documentUrl, contentBase)
            ?? AtomReader.ContentHtml(item.Element(FeedNamespaces.Atom10, "content"), documentUrl);

        if (draft.Authors.Count == 0)
        {
            AddAuthors(draft, item.Elements(ns, "creator"));
        }

        if (draft.Authors.Count == 0)
        {
            AddAuthors(draft, item.Elements(FeedNamespaces.Itunes, "author"));
        }

        if (draft.Authors.Count == 0)
        {
            draft.Authors.AddRange(AtomReader.Authors(item, FeedNamespaces.Atom10, documentUrl));
        }

        draft.Published ??= FeedDates.Parse(item.Element(FeedNamespaces.DcTerms, "issued")?.Value)
            ?? FeedDates.Parse(item.Element(FeedNamespaces.Atom10, "published")?.Value);
        draft.Updated ??= FeedDates.Parse(item.Element(FeedNamespaces.Atom10, "updated")?.Value)
            ?? FeedDates.Parse(item.Element(FeedNamespaces.DcTerms, "modified")?.Value)
            ?? FeedDates.Parse(item.Element(ns, "date")?.Value);

        foreach (var subject in item.Elements(ns, "subject"))
        {
            draft.AddCategory(subject.Value);
        }

        AddItunesCategories(draft, item);
        foreach (var element in media)
        {
            switch (element.LocalName)
            {
                case "category":
                    draft.AddCategory(element.Value, element.Attribute("label"), element.Attribute("scheme") ?? "http://search.yahoo.com/mrss/category_schema");
                    break;
                case "content":
                    draft.AddEnclosure(element.Attribute("url"), element.Attribute("type"), element.Attribute("fileSize"), SafeXml.BaseOf(element, documentUrl));
                    break;
                case "thumbnail" when draft.ImageUrl is null:
                    draft.ImageUrl = FeedHtml.AbsoluteHttp(element.Attribute("url"), SafeXml.BaseOf(element, documentUrl));
                    break;
            }
        }

        if (draft.ImageUrl is null && item.Element(FeedNamespaces.Itunes, "image") is { } image)
        {
            draft.ImageUrl = FeedHtml.AbsoluteHttp(image.Attribute("href") ?? image.Value, SafeXml.BaseOf(image, documentUrl));
        }
    }

    /// <summary>The Media RSS elements of the item, its own first, then those of its groups.</summary>
    private static List<SafeXmlElement> MediaElements(SafeXmlElement item)
    {
        List<SafeXmlElement>? found = null;
        foreach (var element in item.Elements())
        {
            if (element.Namespace is not (FeedNamespaces.Media or FeedNamespaces.MediaWithoutSlash))
            {
                continue;
            }

            found ??= [];
            if (element.LocalName != "group")
            {
                found.Add(element);
                continue;
            }

            foreach (var member in element.Elements())
            {
                if (member.Namespace is FeedNamespaces.Media or FeedNamespaces.MediaWithoutSlash)
                {
                    found.Add(member);
                }
            }
        }

        return found ?? [];
    }

    private static SafeXmlElement? FirstMedia(List<SafeXmlElement> media, string localName) =>
        media.Find(e => e.LocalName == localName);

    private static string? MediaText(List<SafeXmlElement> media, string localName) =>
        FirstMedia(media, localName) is { } element
            ? element.Attribute("type") == "html" ? FeedHtml.ToText(element.Value) : FeedHtml.CollapseWhitespace(element.Value)
            : null;

    private static string? MediaHtml(List<SafeXmlElement> media, string localName, Uri documentUrl, Uri contentBase) =>
        FirstMedia(media, localName) is { } element
            ? element.Attribute("type") == "html" ? XmlMarkup.InnerHtml(element, documentUrl, contentBase) : FeedHtml.FromText(element.Value)
            : null;

    private static void AddAuthors(ItemDraft draft, IEnumerable<SafeXmlElement> elements)
    {
        foreach (var element in elements)
        {
            if (AuthorText.Parse(element.Value) is { } author)
            {
                draft.Authors.Add(author);
            }
        }
    }

    /// <summary>iTunes categories nest a subcategory inside its category; each counts.</summary>
    private static void AddItunesCategories(ItemDraft draft, SafeXmlElement parent)
    {
        foreach (var category in parent.Elements(FeedNamespaces.Itunes, "category"))
        {
            draft.AddCategory(category.Attribute("text"), scheme: "http://www.itunes.com/");
            AddItunesCategories(draft, category);
        }
    }
}
