using System.ServiceModel.Syndication;
using System.Xml;

namespace Feeds.Core.Syndication;

/// <summary>
/// Adds what the Syndication formatters cannot express: the Atom generator's uri and version, the Atom icon
/// (the formatter knows only the logo), and RFC 5005's <c>fh:archive</c> marker.
/// </summary>
internal sealed class DocumentFeed(FeedDocument document, FeedFormat format) : SyndicationFeed
{
    protected override void WriteElementExtensions(XmlWriter writer, string version)
    {
        base.WriteElementExtensions(writer, version);
        if (format == FeedFormat.Atom)
        {
            var generator = document.Generator;
            writer.WriteStartElement("generator", SyndicationMapping.AtomNamespace);
            if (generator.Url is not null)
            {
                writer.WriteAttributeString("uri", SyndicationMapping.Href(generator.Url) ?? SyndicationMapping.Clean(generator.Url));
            }

            if (generator.Version is not null)
            {
                writer.WriteAttributeString("version", SyndicationMapping.Clean(generator.Version));
            }

            writer.WriteString(SyndicationMapping.Clean(generator.Name));
            writer.WriteEndElement();

            if (document.IconUrl is not null)
            {
                writer.WriteElementString("icon", SyndicationMapping.AtomNamespace, SyndicationMapping.Href(document.IconUrl) ?? SyndicationMapping.Clean(document.IconUrl));
            }
        }

        if (document.IsArchive)
        {
            writer.WriteStartElement("fh", "archive", SyndicationMapping.HistoryNamespace);
            writer.WriteEndElement();
        }
    }
}
