using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>
/// Markup carried as XML elements (Atom <c>type="xhtml"</c>, <c>xhtml:body</c>, HTML left unescaped in an RSS
/// <c>description</c>) written out as HTML: namespace declarations dropped, attributes in other namespaces kept with
/// their prefix and value (<c>xlink:href</c>), and every <c>href</c> and <c>src</c> resolved against the <c>xml:base</c> in
/// effect where it stands, nested bases included.
/// </summary>
internal static class XmlMarkup
{
    private static readonly HashSet<string> VoidElements =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    /// <summary>The content of <paramref name="element"/> as HTML: its text when it has no child elements, else its markup.</summary>
    /// <param name="documentUrl">What <c>xml:base</c> values are resolved against.</param>
    /// <param name="unbased">What links are resolved against where no <c>xml:base</c> applies.</param>
    public static string? InnerHtml(SafeXmlElement? element, Uri documentUrl, Uri unbased)
    {
        if (element is null)
        {
            return null;
        }

        if (!element.HasElements)
        {
            return FeedHtml.ResolveLinks(element.Value, SafeXml.HasBase(element) ? SafeXml.BaseOf(element, documentUrl) : unbased);
        }

        var builder = new StringBuilder();
        foreach (var node in element.Nodes)
        {
            Write(node, builder, documentUrl, unbased);
        }

        var html = builder.ToString().Trim();
        return html.Length == 0 ? null : html;
    }

    /// <summary>Atom's XHTML content: the content of its single wrapping <c>div</c>, or of the construct when there is no such div.</summary>
    public static string? Xhtml(SafeXmlElement construct, Uri documentUrl)
    {
        var container = OnlyDiv(construct) ?? construct;
        var builder = new StringBuilder();
        foreach (var node in container.Nodes)
        {
            Write(node, builder, documentUrl, documentUrl);
        }

        var html = builder.ToString().Trim();
        return html.Length == 0 ? null : html;
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

    private static void Write(object node, StringBuilder builder, Uri documentUrl, Uri unbased)
    {
        if (node is string text)
        {
            FeedHtml.Escape(text, builder, attribute: false);
            return;
        }

        var element = (SafeXmlElement)node;
        var name = element.LocalName;
        builder.Append('<').Append(name);
        foreach (var (ns, prefix, localName, value) in element.Attributes)
        {
            if (ns == FeedNamespaces.Xml)
            {
                continue;
            }

            builder.Append(' ');
            if (ns.Length != 0 && prefix.Length != 0)
            {
                builder.Append(prefix).Append(':');
            }

            builder.Append(localName).Append("=\"");
            var resolved = ns.Length == 0 && localName is "href" or "src" ? Resolve(value, SafeXml.HasBase(element) ? SafeXml.BaseOf(element, documentUrl) : unbased) : value;
            FeedHtml.Escape(resolved, builder, attribute: true);
            builder.Append('"');
        }

        builder.Append('>');
        if (VoidElements.Contains(name))
        {
            return;
        }

        foreach (var child in element.Nodes)
        {
            Write(child, builder, documentUrl, unbased);
        }

        builder.Append("</").Append(name).Append('>');
    }

    private static string Resolve(string value, Uri baseUrl)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return value;
        }

        return Uri.TryCreate(baseUrl, trimmed, out var absolute) ? absolute.AbsoluteUri : value;
    }
}
