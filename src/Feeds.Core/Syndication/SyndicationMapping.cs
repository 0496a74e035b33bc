using System.Buffers;
using System.Collections.ObjectModel;
using System.ServiceModel.Syndication;
using System.Xml;
using Feeds.Core.Text;

namespace Feeds.Core.Syndication;

/// <summary>
/// Builds the System.ServiceModel.Syndication object model for the Atom and RSS writers. Every string is
/// cleaned with <see cref="TextRules.ForXml"/> (through <see cref="XmlChars.Clean"/>) on the way in, so any text a
/// user can type yields well-formed XML; Atom content is cleaned on the way out instead (<see cref="HtmlContent"/>).
/// </summary>
internal static class SyndicationMapping
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string HistoryNamespace = "http://purl.org/syndication/history/1.0";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    public static void Write(SyndicationFeedFormatter formatter, IBufferWriter<byte> destination)
    {
        using var writer = new FeedXmlWriter(destination);
        formatter.WriteTo(writer);
        writer.Flush();
    }

    /// <summary>Renders into a pooled buffer first, so the stream gets one large write.</summary>
    public static void Write(SyndicationFeedFormatter formatter, Stream destination)
    {
        using var buffer = new PooledBufferWriter(64 * 1024);
        Write(formatter, buffer);
        destination.Write(buffer.WrittenSpan);
    }

    public static DocumentFeed ToSyndicationFeed(FeedDocument document, FeedFormat format)
    {
        var feed = new DocumentFeed(document, format)
        {
            Id = Clean(document.Id),
            Title = new TextSyndicationContent(Clean(document.Title)),
            LastUpdatedTime = document.Updated.ToUniversalTime(),
        };

        var subtitle = document.Subtitle ?? (format == FeedFormat.Rss ? document.Title : null);
        if (subtitle is not null)
        {
            feed.Description = new TextSyndicationContent(Clean(subtitle));
        }

        if (ToUri(document.XmlBase) is { } xmlBase)
        {
            feed.BaseUri = xmlBase;
        }

        // RFC 4287 4.1.1: an Atom feed whose entries name no author must name one itself.
        if ((format == FeedFormat.Atom ? document.Author ?? new FeedPerson(document.SiteTitle) : document.Author) is { } author)
        {
            feed.Authors.Add(new SyndicationPerson(null, Clean(author.Name), Href(author.Url)));
        }

        if (format == FeedFormat.Rss)
        {
            feed.Generator = Clean(GeneratorText(document.Generator));
            feed.ImageUrl = ToUri(document.IconUrl);
        }

        AddLink(feed.Links, format, document.SelfUrl, "self", format == FeedFormat.Rss ? RssFeedWriter.PlainMediaType : AtomFeedWriter.PlainMediaType);
        AddLink(feed.Links, format, document.AlternateUrl, "alternate", "text/html");
        AddLink(feed.Links, format, document.FirstUrl, "first");
        AddLink(feed.Links, format, document.PreviousUrl, "previous");
        AddLink(feed.Links, format, document.NextUrl, "next");
        AddLink(feed.Links, format, document.CurrentUrl, "current");
        AddLink(feed.Links, format, document.PrevArchiveUrl, "prev-archive");
        AddLink(feed.Links, format, document.NextArchiveUrl, "next-archive");
        AddLink(feed.Links, format, document.HubUrl, "hub");

        if (document.IsArchive)
        {
            feed.AttributeExtensions.Add(new XmlQualifiedName("fh", XmlnsNamespace), HistoryNamespace);
        }

        var items = new List<SyndicationItem>(document.Entries.Count);
        foreach (var entry in document.Entries)
        {
            items.Add(ToItem(entry, format));
        }

        feed.Items = items;
        return feed;
    }

    private static SyndicationItem ToItem(FeedEntry entry, FeedFormat format)
    {
        var item = new SyndicationItem
        {
            Id = Clean(entry.Id),
            Title = new TextSyndicationContent(Clean(entry.Title)),
            PublishDate = entry.Published.ToUniversalTime(),
            LastUpdatedTime = entry.Updated.ToUniversalTime(),
        };

        if (format == FeedFormat.Rss)
        {
            item.Summary = new TextSyndicationContent(Clean(entry.ContentHtml), TextSyndicationContentKind.Html);
        }
        else
        {
            item.Content = new HtmlContent(entry.ContentHtml);
        }

        AddLink(item.Links, format, entry.AlternateUrl, "alternate", "text/html");
        if (entry.RelatedUrl != entry.AlternateUrl)
        {
            AddLink(item.Links, format, entry.RelatedUrl, "related");
        }

        foreach (var category in entry.Categories)
        {
            item.Categories.Add(new SyndicationCategory(Clean(category.Term), Href(category.Scheme), Clean(category.Label)));
        }

        return item;
    }

    private static void AddLink(Collection<SyndicationLink> links, FeedFormat format, string? url, string relation, string? mediaType = null)
    {
        if (format == FeedFormat.Atom)
        {
            if (Href(url) is { } href)
            {
                links.Add(new AtomLink(href, relation, mediaType));
            }
        }
        else if (ToUri(url) is { } uri)
        {
            links.Add(new SyndicationLink(uri, relation, null, mediaType, 0));
        }
    }

    /// <summary>
    /// An Atom link whose URL is given as text, so no <see cref="Uri"/> is parsed for it. The Atom formatter
    /// writes a link's attribute extensions first and then its own rel, type and href, each unless an extension
    /// has that name; this link leaves its relation and media type unset, registers an href extension, and
    /// writes all three itself, so the element comes out exactly as from
    /// <c>new SyndicationLink(uri, relation, null, mediaType, 0)</c>. RSS keeps the <see cref="Uri"/>: its
    /// formatter writes the alternate link as element text, from the Uri.
    /// </summary>
    internal sealed class AtomLink : SyndicationLink
    {
        private static readonly XmlQualifiedName HrefAttribute = new("href", string.Empty);

        private readonly string _href;
        private readonly string _relation;
        private readonly string? _mediaType;

        public AtomLink(string href, string relation, string? mediaType)
        {
            _href = href;
            _relation = relation;
            _mediaType = mediaType;
            AttributeExtensions.Add(HrefAttribute, href);
        }

        protected override void WriteAttributeExtensions(XmlWriter writer, string version)
        {
            writer.WriteAttributeString("rel", _relation);
            if (_mediaType is not null)
            {
                writer.WriteAttributeString("type", _mediaType);
            }

            writer.WriteAttributeString("href", _href);
        }
    }

    /// <summary>
    /// A link whose URL cannot be parsed is left out rather than failing the whole feed: URLs are validated
    /// when posts are saved, so this only guards against data that predates the rules.
    /// </summary>
    private static Uri? ToUri(string? url) =>
        Href(url) is { } href && Uri.TryCreate(href, UriKind.RelativeOrAbsolute, out var uri) ? uri : null;

    /// <summary>A URL as every format writes it (<see cref="LinkHref"/>), or null when there is none or it does not parse.</summary>
    public static string? Href(string? url) => url is null ? null : LinkHref.For(Clean(url));

    public static string GeneratorText(FeedGenerator generator) =>
        generator.Version is null ? generator.Name : generator.Name + " " + generator.Version;

    public static string Clean(string text) => XmlChars.Clean(text);
}
