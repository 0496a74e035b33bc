using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;
using Feeds.Core.Text;

namespace Feeds.Core.Syndication;

/// <summary>
/// The XmlWriter the Syndication formatters write through. It encodes UTF-8 straight into the destination and
/// produces the bytes <c>XmlWriter.Create</c> produces with a UTF-8 declaration, no indentation, "\n" line
/// breaks and character checking, for what the formatters call: elements, attributes, namespace declarations,
/// text and CDATA sections. The general writer is a well-formedness state machine over a raw writer that escapes one
/// character at a time, and for a feed of many short elements around long HTML that layering took most of the
/// render; here text is escaped sixteen characters at a time.
/// </summary>
/// <remarks>
/// Namespaces follow the general writer's rules, so the declarations land where it puts them: a prefix (or the
/// default namespace) is reused while it is in scope, an <c>xmlns</c> attribute is written where it is
/// written, and a declaration the element needs comes after its other attributes. Text that XML forbids
/// throws, as it does there: text is cleaned before it gets here, so such a character is a bug, and failing
/// beats serving a broken feed. Element and attribute names are not checked because they come from code,
/// never from data; comments, processing instructions, entities and base64 are not needed and throw.
/// </remarks>
internal sealed class FeedXmlWriter(IBufferWriter<byte> output) : XmlWriter
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>How much of the destination is asked for at a time.</summary>
    private const int ChunkSize = 16 * 1024;

    private byte[] _buffer = [];
    private int _start;
    private int _position;
    private int _end;
    private byte[]? _scratch;

    private Namespace[] _namespaces =
    [
        new("xmlns", XmlnsNamespace, NamespaceKind.Special),
        new("xml", XmlNamespace, NamespaceKind.Special),
        new(string.Empty, string.Empty, NamespaceKind.Implied),
        default, default, default, default, default,
    ];

    private int _namespaceTop = 2;

    /// <summary>Open elements; index 0 stands for the document, with the three predefined namespaces in scope.</summary>
    private Element[] _elements = [new(string.Empty, string.Empty, 2), default, default, default, default, default, default, default];

    private int _depth;
    private bool _declarationWritten;
    private bool _rootClosed;
    private bool _closed;

    /// <summary>
    /// The innermost start tag is not closed yet: attributes may follow, and if the element ends now it ends
    /// with " /&gt;". Any text closes it, even an empty string, as in the general writer.
    /// </summary>
    private bool _inStartTag;

    private bool _inAttribute;

    /// <summary>While an <c>xmlns</c> attribute is written, its prefix; its value is collected in <see cref="_declaredUri"/>.</summary>
    private string? _declaredPrefix;

    private string _declaredUri = string.Empty;

    /// <summary>Where the last few characters of a string are copied to be read as one block.</summary>
    private readonly char[] _tail = new char[16];

    /// <summary>The innermost start tag's attributes so far, to refuse a duplicate.</summary>
    private (string Prefix, string LocalName, string Namespace)[] _attributes = new (string, string, string)[8];

    private int _attributeCount;

    private enum NamespaceKind
    {
        Special,
        Implied,
        NeedToWrite,
        Written,
    }

    private record struct Namespace(string Prefix, string Uri, NamespaceKind Kind);

    private readonly record struct Element(string Prefix, string LocalName, int NamespaceTop);

    public override WriteState WriteState =>
        _closed ? WriteState.Closed
        : _inAttribute ? WriteState.Attribute
        : _inStartTag ? WriteState.Element
        : _depth > 0 ? WriteState.Content
        : _declarationWritten ? WriteState.Prolog
        : WriteState.Start;

    public override void WriteStartDocument() => WriteDeclaration(standalone: null);

    public override void WriteStartDocument(bool standalone) => WriteDeclaration(standalone);

    public override void WriteEndDocument()
    {
        while (_depth > 0)
        {
            WriteEndElement();
        }
    }

    public override void WriteStartElement(string? prefix, string localName, string? ns)
    {
        if (_rootClosed || _closed)
        {
            throw new InvalidOperationException("A document has one root element.");
        }

        if (!_declarationWritten)
        {
            WriteDeclaration(standalone: null);
        }

        StartContent();
        if (prefix is null)
        {
            if (ns is not null)
            {
                prefix = LookupPrefix(ns);
            }

            prefix ??= string.Empty;
        }
        else if (prefix.Length > 0)
        {
            ns ??= LookupNamespace(prefix);
            if (string.IsNullOrEmpty(ns))
            {
                throw new ArgumentException($"The prefix '{prefix}' cannot be bound to an empty namespace.");
            }
        }

        ns ??= LookupNamespace(prefix) ?? string.Empty;

        Ensure(prefix.Length * 3 + localName.Length * 3 + 2);
        WriteByte((byte)'<');
        WriteName(prefix, localName);

        if (++_depth == _elements.Length)
        {
            Array.Resize(ref _elements, _elements.Length * 2);
        }

        _elements[_depth] = new Element(prefix, localName, _namespaceTop);
        PushNamespaceImplicit(prefix, ns);
        _inStartTag = true;
        _attributeCount = 0;
    }

    public override void WriteEndElement() => EndElement(full: false);

    public override void WriteFullEndElement() => EndElement(full: true);

    public override void WriteStartAttribute(string? prefix, string localName, string? ns)
    {
        if (_inAttribute)
        {
            WriteEndAttribute();
        }

        if (!_inStartTag)
        {
            throw new InvalidOperationException("Attributes can only be written in a start tag.");
        }

        if (string.IsNullOrEmpty(localName))
        {
            if (prefix != "xmlns")
            {
                throw new ArgumentException("An attribute needs a local name.", nameof(localName));
            }

            localName = "xmlns";
            prefix = string.Empty;
        }

        if (prefix is null)
        {
            if (ns is not null && !(localName == "xmlns" && ns == XmlnsNamespace))
            {
                prefix = LookupPrefix(ns);
            }

            prefix ??= string.Empty;
        }

        ns ??= (prefix.Length > 0 ? LookupNamespace(prefix) : null) ?? string.Empty;

        if (prefix.Length == 0)
        {
            if (localName == "xmlns")
            {
                StartDeclaration(string.Empty, ns);
                return;
            }

            if (ns.Length > 0)
            {
                prefix = LookupPrefix(ns);
                if (string.IsNullOrEmpty(prefix))
                {
                    prefix = GeneratePrefix();
                }
            }
        }
        else if (prefix == "xmlns")
        {
            StartDeclaration(localName, ns);
            return;
        }
        else if (prefix == "xml")
        {
            if (ns != XmlNamespace)
            {
                throw new ArgumentException("The prefix 'xml' is bound to the XML namespace.");
            }
        }
        else if (ns.Length == 0)
        {
            prefix = string.Empty;
        }
        else if (LookupLocalNamespace(prefix) is { } defined && defined != ns)
        {
            prefix = GeneratePrefix();
        }

        if (prefix.Length > 0 && prefix != "xml")
        {
            PushNamespaceImplicit(prefix, ns);
        }

        AddAttribute(prefix, localName, ns);
        Ensure(prefix.Length * 3 + localName.Length * 3 + 4);
        WriteByte((byte)' ');
        WriteName(prefix, localName);
        WriteByte((byte)'=');
        WriteByte((byte)'"');
        _inAttribute = true;
    }

    public override void WriteEndAttribute()
    {
        if (!_inAttribute)
        {
            throw new InvalidOperationException("No attribute is being written.");
        }

        _inAttribute = false;
        if (_declaredPrefix is not { } prefix)
        {
            Ensure(1);
            WriteByte((byte)'"');
            return;
        }

        var uri = _declaredUri;
        _declaredPrefix = null;
        _declaredUri = string.Empty;
        if (prefix.Length > 0 && (uri.Length == 0 || uri == XmlnsNamespace || (uri == XmlNamespace && prefix != "xml")))
        {
            throw new ArgumentException($"The prefix '{prefix}' cannot be bound to '{uri}'.");
        }

        PushNamespaceExplicit(prefix, uri);
        WriteNamespaceDeclaration(prefix, uri);
    }

    public override void WriteString(string? text)
    {
        if (text is null)
        {
            return;
        }

        if (_inAttribute)
        {
            if (_declaredPrefix is not null)
            {
                _declaredUri += text;
            }
            else
            {
                WriteEscaped(text, attribute: true);
            }

            return;
        }

        StartText();
        WriteEscaped(text, attribute: false);
    }

    public override void WriteChars(char[] buffer, int index, int count) => WriteString(new string(buffer, index, count));

    public override void WriteWhitespace(string? ws) => WriteString(ws);

    /// <summary>Unescaped, as the general writer has it; the characters XML forbids still throw.</summary>
    public override void WriteRaw(string data)
    {
        if (_inAttribute && _declaredPrefix is not null)
        {
            _declaredUri += data;
            return;
        }

        if (!_inAttribute)
        {
            // Unlike empty text, empty raw data leaves an empty element to end with " />".
            if (data.Length == 0)
            {
                return;
            }

            StartText();
        }

        XmlChars.ThrowIfIllegal(data);
        WriteUtf8(data);
    }

    public override void WriteRaw(char[] buffer, int index, int count) => WriteRaw(new string(buffer, index, count));

    public override string? LookupPrefix(string ns)
    {
        for (var i = _namespaceTop; i >= 0; i--)
        {
            if (_namespaces[i].Uri == ns)
            {
                var prefix = _namespaces[i].Prefix;
                for (var j = i + 1; j <= _namespaceTop; j++)
                {
                    if (_namespaces[j].Prefix == prefix)
                    {
                        return null;
                    }
                }

                return prefix;
            }
        }

        return null;
    }

    /// <summary>Hands everything written so far to the destination.</summary>
    public override void Flush()
    {
        if (_position > _start)
        {
            if (_scratch is null)
            {
                output.Advance(_position - _start);
            }
            else
            {
                output.Write(_scratch.AsSpan(_start, _position - _start));
            }
        }

        _start = _position;
        if (_scratch is null)
        {
            // Memory from GetMemory is only valid until Advance.
            _end = _position;
        }
    }

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        Flush();
        _closed = true;
        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }

        _buffer = [];
        _start = _position = _end = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    public override void WriteBase64(byte[] buffer, int index, int count) => throw NotNeeded();

    /// <summary>
    /// Character data unescaped, as the general writer has it: a CR LF or a lone CR becomes "\n", "]]&gt;" inside
    /// ends the section after its "]]" and starts another before its "&gt;", and the characters XML forbids throw.
    /// </summary>
    public override void WriteCData(string? text)
    {
        if (_inAttribute)
        {
            throw new InvalidOperationException("A CDATA section cannot be written inside an attribute.");
        }

        text ??= string.Empty;
        XmlChars.ThrowIfIllegal(text);
        WriteCheckedCData(text);
    }

    /// <summary>
    /// <paramref name="text"/> as CDATA with the characters XML forbids dropped (<see cref="TextRules.ForXml"/>): the
    /// same as cleaning it and calling <see cref="WriteCData"/>, in one scan of the text instead of two. Entry content is
    /// most of a feed, so its check is worth not doing twice.
    /// </summary>
    public void WriteCleanCData(string text)
    {
        if (_inAttribute)
        {
            throw new InvalidOperationException("A CDATA section cannot be written inside an attribute.");
        }

        WriteCheckedCData(XmlChars.Clean(text));
    }

    private void WriteCheckedCData(string text)
    {
        StartText();
        WriteAscii("<![CDATA["u8);
        var rest = XmlEscaping.CDataLineBreaks(text).AsSpan();
        int split;
        while ((split = XmlEscaping.CDataSplit(rest)) >= 0)
        {
            WriteUtf8(rest[..split]);
            WriteAscii("]]><![CDATA["u8);
            rest = rest[split..];
        }

        WriteUtf8(rest);
        WriteAscii("]]>"u8);
    }

    public override void WriteCharEntity(char ch) => throw NotNeeded();

    public override void WriteComment(string? text) => throw NotNeeded();

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => throw NotNeeded();

    public override void WriteEntityRef(string name) => throw NotNeeded();

    public override void WriteProcessingInstruction(string name, string? text) => throw NotNeeded();

    public override void WriteSurrogateCharEntity(char lowChar, char highChar) => throw NotNeeded();

    private static NotSupportedException NotNeeded([CallerMemberName] string member = "") =>
        new($"{nameof(FeedXmlWriter)} does not support {member}: feed documents do not need it.");

    private void WriteDeclaration(bool? standalone)
    {
        if (_declarationWritten || _depth > 0 || _rootClosed)
        {
            throw new InvalidOperationException("The XML declaration comes first, once.");
        }

        var declaration = standalone switch
        {
            null => "<?xml version=\"1.0\" encoding=\"utf-8\"?>"u8,
            true => "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>"u8,
            false => "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>"u8,
        };
        WriteAscii(declaration);
        _declarationWritten = true;
    }

    /// <summary>Content follows: the start tag, if one is open, is closed.</summary>
    private void StartContent()
    {
        if (_inAttribute)
        {
            WriteEndAttribute();
        }

        if (_inStartTag)
        {
            WriteImpliedDeclarations();
            Ensure(1);
            WriteByte((byte)'>');
            _inStartTag = false;
        }
    }

    private void StartText()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Text can only be written inside the root element.");
        }

        StartContent();
    }

    private void EndElement(bool full)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("No element is open.");
        }

        if (_inAttribute)
        {
            WriteEndAttribute();
        }

        var element = _elements[_depth];
        var empty = _inStartTag;
        if (empty)
        {
            WriteImpliedDeclarations();
            Ensure(3);
            WriteBytes(full ? ">"u8 : " />"u8);
        }

        if (!empty || full)
        {
            Ensure(element.Prefix.Length * 3 + element.LocalName.Length * 3 + 3);
            WriteBytes("</"u8);
            WriteName(element.Prefix, element.LocalName);
            WriteByte((byte)'>');
        }

        _inStartTag = false;
        _namespaceTop = element.NamespaceTop;
        if (--_depth == 0)
        {
            _rootClosed = true;
        }
    }

    private void StartDeclaration(string declaredPrefix, string ns)
    {
        if (ns.Length > 0 && ns != XmlnsNamespace)
        {
            throw new ArgumentException("The prefix 'xmlns' is reserved for namespace declarations.");
        }

        if (declaredPrefix.Length == 0)
        {
            AddAttribute(string.Empty, "xmlns", XmlnsNamespace);
        }
        else
        {
            AddAttribute("xmlns", declaredPrefix, XmlnsNamespace);
        }

        _declaredPrefix = declaredPrefix;
        _inAttribute = true;
    }

    private void AddAttribute(string prefix, string localName, string ns)
    {
        foreach (var attribute in _attributes.AsSpan(0, _attributeCount))
        {
            if (attribute.LocalName == localName && (attribute.Prefix == prefix || attribute.Namespace == ns))
            {
                throw new XmlException($"The attribute '{(prefix.Length > 0 ? prefix + ":" : string.Empty)}{localName}' is written twice.");
            }
        }

        if (_attributeCount == _attributes.Length)
        {
            Array.Resize(ref _attributes, _attributes.Length * 2);
        }

        _attributes[_attributeCount++] = (prefix, localName, ns);
    }

    /// <summary>Declarations the element needs (its own namespace, prefixes its attributes use), last first, as the general writer orders them.</summary>
    private void WriteImpliedDeclarations()
    {
        for (var i = _namespaceTop; i > _elements[_depth].NamespaceTop; i--)
        {
            if (_namespaces[i].Kind == NamespaceKind.NeedToWrite)
            {
                WriteNamespaceDeclaration(_namespaces[i].Prefix, _namespaces[i].Uri);
            }
        }
    }

    private void WriteNamespaceDeclaration(string prefix, string uri)
    {
        Ensure(prefix.Length * 3 + 9);
        WriteBytes(" xmlns"u8);
        if (prefix.Length > 0)
        {
            WriteByte((byte)':');
            WriteName(string.Empty, prefix);
        }

        WriteBytes("=\""u8);
        WriteEscaped(uri, attribute: true);
        Ensure(1);
        WriteByte((byte)'"');
    }

    private string? LookupNamespace(string prefix)
    {
        var i = LookupNamespaceIndex(prefix);
        return i >= 0 ? _namespaces[i].Uri : null;
    }

    private string? LookupLocalNamespace(string prefix)
    {
        for (var i = _namespaceTop; i > _elements[_depth].NamespaceTop; i--)
        {
            if (_namespaces[i].Prefix == prefix)
            {
                return _namespaces[i].Uri;
            }
        }

        return null;
    }

    private int LookupNamespaceIndex(string prefix)
    {
        for (var i = _namespaceTop; i >= 0; i--)
        {
            if (_namespaces[i].Prefix == prefix)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A prefix or namespace used in a name: declared unless it is already in scope.</summary>
    private void PushNamespaceImplicit(string prefix, string ns)
    {
        var existing = LookupNamespaceIndex(prefix);
        NamespaceKind kind;
        if (existing > _elements[_depth].NamespaceTop)
        {
            if (_namespaces[existing].Uri != ns)
            {
                throw new XmlException($"The prefix '{prefix}' cannot be redefined within the same start tag.");
            }

            return;
        }

        if (existing >= 0 && _namespaces[existing].Kind == NamespaceKind.Special)
        {
            throw new ArgumentException($"The prefix '{prefix}' is reserved.");
        }

        if (existing >= 0)
        {
            kind = _namespaces[existing].Uri == ns ? NamespaceKind.Implied : NamespaceKind.NeedToWrite;
        }
        else if (ns is XmlNamespace or XmlnsNamespace)
        {
            throw new ArgumentException($"The prefix '{prefix}' cannot be bound to a reserved namespace.");
        }
        else
        {
            kind = NamespaceKind.NeedToWrite;
        }

        AddNamespace(prefix, ns, kind);
    }

    /// <summary>An <c>xmlns</c> attribute: always written, even when an outer element declared the same.</summary>
    private void PushNamespaceExplicit(string prefix, string ns)
    {
        var existing = LookupNamespaceIndex(prefix);
        if (existing > _elements[_depth].NamespaceTop)
        {
            if (_namespaces[existing].Uri != ns)
            {
                throw new XmlException($"The prefix '{prefix}' cannot be redefined within the same start tag.");
            }

            if (_namespaces[existing].Kind == NamespaceKind.Written)
            {
                throw new XmlException($"The namespace declaration of '{prefix}' is written twice.");
            }

            _namespaces[existing].Kind = NamespaceKind.Written;
            return;
        }

        if ((ns == XmlNamespace && prefix != "xml") || (ns == XmlnsNamespace && prefix != "xmlns")
            || (prefix == "xml" && ns != XmlNamespace) || prefix == "xmlns")
        {
            throw new ArgumentException($"The prefix '{prefix}' cannot be bound to '{ns}'.");
        }

        AddNamespace(prefix, ns, NamespaceKind.Written);
    }

    private void AddNamespace(string prefix, string ns, NamespaceKind kind)
    {
        if (++_namespaceTop == _namespaces.Length)
        {
            Array.Resize(ref _namespaces, _namespaces.Length * 2);
        }

        _namespaces[_namespaceTop] = new Namespace(prefix, ns, kind);
    }

    private string GeneratePrefix()
    {
        var prefix = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p{_namespaceTop - 2}");
        if (LookupNamespace(prefix) is null)
        {
            return prefix;
        }

        for (var i = 0; ; i++)
        {
            var candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{i}");
            if (LookupNamespace(candidate) is null)
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Escapes <paramref name="text"/> as character data (or as a double-quoted attribute value) in UTF-8, a
    /// chunk at a time so that room for the worst case is made once per chunk rather than per character.
    /// </summary>
    private void WriteEscaped(string text, bool attribute)
    {
        var i = 0;
        while (i < text.Length)
        {
            var end = i + Math.Min(text.Length - i, XmlEscaping.ChunkLength);
            Ensure(XmlEscaping.RoomFor(end - i));
            i = XmlEscaping.EscapeChunk(text, i, end, attribute, _buffer, ref _position, _tail);
        }
    }

    /// <summary>Names come from code and are almost always ASCII.</summary>
    private void WriteName(string prefix, string localName)
    {
        if (prefix.Length > 0)
        {
            WriteNamePart(prefix);
            WriteByte((byte)':');
        }

        WriteNamePart(localName);
    }

    private void WriteNamePart(string name)
    {
        foreach (var c in name)
        {
            if (c >= 0x80)
            {
                _position += Encoding.UTF8.GetBytes(name, _buffer.AsSpan(_position));
                return;
            }
        }

        foreach (var c in name)
        {
            _buffer[_position++] = (byte)c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value) => _buffer[_position++] = value;

    /// <summary>Text already checked, encoded as it is.</summary>
    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        Ensure(text.Length * 3);
        _position += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_position));
    }

    private void WriteAscii(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        WriteBytes(bytes);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> bytes. Writes go straight into the destination's own array when
    /// it has one (<see cref="ArrayBufferWriter{T}"/>, pooled buffers, pipes), otherwise through a pooled array.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_end - _position < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        if (_closed)
        {
            throw new InvalidOperationException("The writer is closed.");
        }

        Flush();
        var size = Math.Max(count, ChunkSize);
        if (_scratch is null && MemoryMarshal.TryGetArray<byte>(output.GetMemory(size), out var segment) && segment.Count >= count)
        {
            _buffer = segment.Array!;
            _start = _position = segment.Offset;
            _end = segment.Offset + segment.Count;
            return;
        }

        if (_scratch is null || _scratch.Length < size)
        {
            if (_scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<byte>.Shared.Rent(size);
        }

        _buffer = _scratch;
        _start = _position = 0;
        _end = _scratch.Length;
    }
}
