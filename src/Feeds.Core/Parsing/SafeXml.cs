using System.Buffers;
using System.Net;
using System.Text;
using System.Xml;

namespace Feeds.Core.Parsing;

/// <summary>
/// Loads untrusted XML without ever processing a DTD: no entity expansion (billion laughs), no external
/// entities or DTD fetches (XXE), bounded size and depth. Before parsing, the text is repaired the way
/// real feeds need: HTML named entities become character references, stray ampersands become <c>&amp;amp;</c>,
/// characters XML forbids are dropped, and a DOCTYPE without an internal subset (old Netscape RSS 0.91) is removed.
/// Items are counted as they are read: a document is refused at its first item over <see cref="FeedLimits.MaxItems"/>,
/// before the rest of it is built.
/// </summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = 8L * FeedLimits.MaxBodyBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>Characters <see cref="Repair"/> must look at: references, the second character of <c>&lt;!</c> and <c>&lt;?</c>, and everything XML 1.0 forbids (surrogates are checked for pairing).</summary>
    private static readonly SearchValues<char> Attention = SearchValues.Create(AttentionCharacters());

    /// <summary>The document's root element; throws <see cref="FeedParseException"/> with a readable reason otherwise.</summary>
    public static SafeXmlElement Load(string text)
    {
        var repaired = Repair(text);
        try
        {
            using var reader = XmlReader.Create(new StringReader(repaired), Settings);
            return Build(reader);
        }
        catch (XmlException e)
        {
            throw new FeedParseException($"The document is not well-formed XML: {e.Message}", e);
        }
    }

    /// <summary>The absolute base URI in effect for <paramref name="element"/>: the document URL refined by every <c>xml:base</c> above it.</summary>
    public static Uri BaseOf(SafeXmlElement? element, Uri documentUrl)
    {
        if (!HasBase(element))
        {
            return documentUrl;
        }

        var bases = new List<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            var value = e.Attribute(FeedNamespaces.Xml, "base");
            if (!string.IsNullOrWhiteSpace(value))
            {
                bases.Add(value.Trim());
            }
        }

        var result = documentUrl;
        for (var i = bases.Count - 1; i >= 0; i--)
        {
            if (Uri.TryCreate(result, bases[i], out var next))
            {
                result = next;
            }
        }

        return result;
    }

    /// <summary>Whether any <c>xml:base</c> applies to <paramref name="element"/>.</summary>
    public static bool HasBase(SafeXmlElement? element)
    {
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute(FeedNamespaces.Xml, "base") is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static SafeXmlElement Build(XmlReader reader)
    {
        SafeXmlElement? root = null;
        SafeXmlElement? open = null;
        var depth = 0;
        var items = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (depth >= FeedLimits.MaxDepth)
                    {
                        throw new FeedParseException($"The document nests elements more than {FeedLimits.MaxDepth} deep.");
                    }

                    // Every place a reader takes items from: rss/channel/item, rss/item, rdf:RDF/item, rdf:RDF/channel/item, feed/entry.
                    if (depth is 1 or 2 && reader.LocalName is "item" or "entry")
                    {
                        ItemFactory.CheckCount(++items);
                    }

                    var element = new SafeXmlElement(reader.NamespaceURI, reader.LocalName, open);
                    var empty = reader.IsEmptyElement;
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            if (reader.NamespaceURI != XmlnsNamespace)
                            {
                                element.AddAttribute(reader.NamespaceURI, reader.Prefix, reader.LocalName, reader.Value);
                            }
                        }
                        while (reader.MoveToNextAttribute());
                    }

                    if (open is null)
                    {
                        root = element;
                    }
                    else
                    {
                        open.AddNode(element);
                    }

                    if (!empty)
                    {
                        open = element;
                        depth++;
                    }

                    break;
                case XmlNodeType.EndElement:
                    open = open!.Parent;
                    depth--;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    open?.AddNode(reader.Value);
                    break;
            }
        }

        return root ?? throw new FeedParseException("The document has no root element.");
    }

    /// <summary>Fixes what real feeds get wrong about XML syntax; returns the same instance when nothing needs fixing.</summary>
    internal static string Repair(string text)
    {
        StringBuilder? output = null;
        var copied = 0;
        var i = 0;

        // Whitespace before the XML declaration is an error to XmlReader but harmless to everyone else.
        while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '\uFEFF'))
        {
            i++;
        }

        if (i > 0)
        {
            output = new StringBuilder(text.Length + 64);
            copied = i;
        }

        while (i < text.Length)
        {
            // Most of a document needs no attention: jump to the next character that might.
            var next = text.AsSpan(i).IndexOfAny(Attention);
            if (next < 0)
            {
                break;
            }

            i += next;
            var c = text[i];
            if (c is '!' or '?')
            {
                if (i == 0 || text[i - 1] != '<')
                {
                    i++;
                    continue;
                }

                var at = i - 1;
                var skipTo = EndOfVerbatim(text, at);
                if (skipTo > at)
                {
                    i = skipTo;
                    continue;
                }

                if (string.CompareOrdinal(text, at, "<!DOCTYPE", 0, 9) == 0 || string.CompareOrdinal(text, at, "<!doctype", 0, 9) == 0)
                {
                    var end = EndOfDoctype(text, at);
                    output ??= new StringBuilder(text.Length + 64);
                    output.Append(text, copied, at - copied);
                    i = copied = end;
                    continue;
                }

                i++;
            }
            else if (c == '&')
            {
                var (length, replacement) = Reference(text, i);
                if (replacement is not null)
                {
                    output ??= new StringBuilder(text.Length + 64);
                    output.Append(text, copied, i - copied).Append(replacement);
                    copied = i + length;
                }

                i += length;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
            }
            else
            {
                output ??= new StringBuilder(text.Length + 64);
                output.Append(text, copied, i - copied);
                i++;
                copied = i;
            }
        }

        if (output is null)
        {
            return text;
        }

        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    /// <summary>For CDATA, comments and processing instructions, the index just past their end; otherwise <paramref name="at"/>.</summary>
    private static int EndOfVerbatim(string text, int at)
    {
        string? close = null;
        if (string.CompareOrdinal(text, at, "<![CDATA[", 0, 9) == 0)
        {
            close = "]]>";
        }
        else if (string.CompareOrdinal(text, at, "<!--", 0, 4) == 0)
        {
            close = "-->";
        }
        else if (string.CompareOrdinal(text, at, "<?", 0, 2) == 0)
        {
            close = "?>";
        }

        if (close is null)
        {
            return at;
        }

        // Unterminated sections are left for XmlReader to report.
        var end = text.IndexOf(close, at + 2, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + close.Length;
    }

    private static int EndOfDoctype(string text, int at)
    {
        char? quote = null;
        for (var i = at + 9; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                throw new FeedParseException(
                    "The document declares its own entities in a DOCTYPE; DTDs are refused because they allow entity expansion attacks and external entity (XXE) reads.");
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        throw new FeedParseException("The document's DOCTYPE is never closed.");
    }

    /// <summary>How many characters the reference at <paramref name="at"/> spans, and what to write instead (null to keep it).</summary>
    private static (int Length, string? Replacement) Reference(string text, int at)
    {
        var i = at + 1;
        if (i < text.Length && text[i] == '#')
        {
            var hex = i + 1 < text.Length && (text[i + 1] is 'x' or 'X');
            var digitsStart = hex ? i + 2 : i + 1;
            var j = digitsStart;
            while (j < text.Length && j - digitsStart < 8 && (hex ? char.IsAsciiHexDigit(text[j]) : char.IsAsciiDigit(text[j])))
            {
                j++;
            }

            if (j == digitsStart || j >= text.Length || text[j] != ';')
            {
                return (1, "&amp;");
            }

            var number = int.Parse(text.AsSpan(digitsStart, j - digitsStart), hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None);
            var length = j + 1 - at;
            if (number is >= 0x80 and <= 0x9F)
            {
                // Windows-1252 bytes written as references by tools that assumed Latin-1; never meant as C1 controls.
                var meant = FeedEncoding.Windows1252.GetString([(byte)number]);
                return (length, "&#" + (int)meant[0] + ";");
            }

            var valid = number is 0x9 or 0xA or 0xD || (number >= 0x20 && number <= 0xD7FF) || (number >= 0xE000 && number <= 0xFFFD) || (number >= 0x10000 && number <= 0x10FFFF);
            return (length, valid ? null : string.Empty);
        }

        var nameEnd = i;
        while (nameEnd < text.Length && nameEnd - i < 32 && char.IsAsciiLetterOrDigit(text[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == i || !char.IsAsciiLetter(text[i]) || nameEnd >= text.Length || text[nameEnd] != ';')
        {
            return (1, "&amp;");
        }

        var name = text.AsSpan(i, nameEnd - i);
        var total = nameEnd + 1 - at;
        if (name is "amp" or "lt" or "gt" or "quot" or "apos")
        {
            return (total, null);
        }

        var entity = text.Substring(at, total);
        var decoded = WebUtility.HtmlDecode(entity);
        if (decoded == entity)
        {
            return (1, "&amp;");
        }

        return (total, "&#" + char.ConvertToUtf32(decoded, 0) + ";");
    }

    private static string AttentionCharacters()
    {
        var builder = new StringBuilder("&!?");
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                builder.Append(c);
            }
        }

        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            builder.Append(c);
        }

        return builder.Append('\uFFFE').Append('\uFFFF').ToString();
    }
}
