namespace Feeds.Core.Parsing;

/// <summary>
/// A read-only element of a document loaded by <see cref="SafeXml"/>: names, attributes, text and child elements,
/// nothing else. It stands in for LINQ to XML, whose editable tree and name atomisation cost several times the
/// parse itself for documents the size of a feed. Names compare as namespace URI plus local name (the empty string
/// for no namespace), exactly as <c>XName</c> does; <see cref="Value"/> is the concatenated text of all descendants,
/// as <c>XElement.Value</c> is.
/// </summary>
internal sealed class SafeXmlElement
{
    private static readonly List<object> NoNodes = [];
    private static readonly List<(string Namespace, string Prefix, string LocalName, string Value)> NoAttributes = [];

    /// <summary>Text (a <see cref="string"/>) and child elements, in document order; shared and empty until the first is added.</summary>
    private List<object> _nodes = NoNodes;

    /// <summary>Shared and empty until the first attribute is added: most feed elements have none.</summary>
    private List<(string Namespace, string Prefix, string LocalName, string Value)> _attributes = NoAttributes;

    public SafeXmlElement(string ns, string localName, SafeXmlElement? parent)
    {
        Namespace = ns;
        LocalName = localName;
        Parent = parent;
    }

    public string Namespace { get; }

    public string LocalName { get; }

    public SafeXmlElement? Parent { get; }

    /// <summary>Text and child elements in document order: each node is either a <see cref="string"/> or a <see cref="SafeXmlElement"/>.</summary>
    public IReadOnlyList<object> Nodes => _nodes;

    /// <summary>Attributes other than namespace declarations.</summary>
    public IReadOnlyList<(string Namespace, string Prefix, string LocalName, string Value)> Attributes => _attributes;

    public bool HasElements
    {
        get
        {
            foreach (var node in _nodes)
            {
                if (node is SafeXmlElement)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>All the text inside the element, its descendants' included, in document order.</summary>
    public string Value
    {
        get
        {
            if (_nodes.Count == 1 && _nodes[0] is string only)
            {
                return only;
            }

            var builder = new System.Text.StringBuilder();
            AppendText(builder);
            return builder.ToString();
        }
    }

    /// <summary>The value of the attribute without a namespace called <paramref name="localName"/>; null when absent.</summary>
    public string? Attribute(string localName) => Attribute(string.Empty, localName);

    public string? Attribute(string ns, string localName)
    {
        foreach (var (attributeNs, _, attributeName, value) in _attributes)
        {
            if (attributeName == localName && attributeNs == ns)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The first child element with the name; null when there is none.</summary>
    public SafeXmlElement? Element(string ns, string localName)
    {
        foreach (var node in _nodes)
        {
            if (node is SafeXmlElement element && element.LocalName == localName && element.Namespace == ns)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>The child element without a namespace called <paramref name="localName"/>; null when there is none.</summary>
    public SafeXmlElement? Element(string localName) => Element(string.Empty, localName);

    public IEnumerable<SafeXmlElement> Elements()
    {
        foreach (var node in _nodes)
        {
            if (node is SafeXmlElement element)
            {
                yield return element;
            }
        }
    }

    public IEnumerable<SafeXmlElement> Elements(string ns, string localName)
    {
        foreach (var node in _nodes)
        {
            if (node is SafeXmlElement element && element.LocalName == localName && element.Namespace == ns)
            {
                yield return element;
            }
        }
    }

    /// <summary>The child elements without a namespace called <paramref name="localName"/>.</summary>
    public IEnumerable<SafeXmlElement> Elements(string localName) => Elements(string.Empty, localName);

    internal void AddAttribute(string ns, string prefix, string localName, string value)
    {
        if (ReferenceEquals(_attributes, NoAttributes))
        {
            _attributes = new(2);
        }

        _attributes.Add((ns, prefix, localName, value));
    }

    internal void AddNode(object node)
    {
        if (ReferenceEquals(_nodes, NoNodes))
        {
            _nodes = new(4);
        }

        _nodes.Add(node);
    }

    private void AppendText(System.Text.StringBuilder builder)
    {
        foreach (var node in _nodes)
        {
            if (node is string text)
            {
                builder.Append(text);
            }
            else
            {
                ((SafeXmlElement)node).AppendText(builder);
            }
        }
    }
}
