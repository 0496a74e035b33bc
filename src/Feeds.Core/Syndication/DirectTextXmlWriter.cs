using System.Buffers;
using System.Xml;

namespace Feeds.Core.Syndication;

/// <summary>
/// Passes everything to <paramref name="inner"/> except long element text (entry content, which is most of a
/// feed), which it escapes and encodes straight into <paramref name="output"/>, the buffer
/// <paramref name="inner"/> writes to. XmlWriter escapes one character at a time, and that alone took longer
/// than the whole render is allowed to; the vectorised path produces the same bytes several times faster.
/// </summary>
/// <remarks>
/// Sound because <paramref name="inner"/> is a UTF-8 writer created over <paramref name="output"/>: after
/// <see cref="XmlWriter.Flush"/> every byte it produced is in <paramref name="output"/> and nothing is pending,
/// so bytes appended there land exactly where it would have written the text. Text must already be clean
/// (<see cref="XmlChars.Clean"/>), since these bytes bypass the writer's character checks.
/// </remarks>
internal sealed class DirectTextXmlWriter(XmlWriter inner, IBufferWriter<byte> output) : XmlWriter
{
    /// <summary>Below this, the flush costs more than the character loop it avoids.</summary>
    private const int DirectLength = 256;

    private bool _inAttribute;

    public override WriteState WriteState => inner.WriteState;

    public override XmlWriterSettings? Settings => inner.Settings;

    public override void WriteString(string? text)
    {
        if (text is null || text.Length < DirectLength || _inAttribute)
        {
            inner.WriteString(text);
            return;
        }

        // Empty text still closes a pending start tag and tells an indenting writer that this element has
        // mixed content, so it adds no whitespace inside it.
        inner.WriteString(string.Empty);
        inner.Flush();
        XmlChars.WriteEscapedText(text, output);
    }

    public override void WriteStartAttribute(string? prefix, string localName, string? ns)
    {
        _inAttribute = true;
        inner.WriteStartAttribute(prefix, localName, ns);
    }

    public override void WriteEndAttribute()
    {
        _inAttribute = false;
        inner.WriteEndAttribute();
    }

    public override void Flush() => inner.Flush();

    public override string? LookupPrefix(string ns) => inner.LookupPrefix(ns);

    public override void WriteBase64(byte[] buffer, int index, int count) => inner.WriteBase64(buffer, index, count);

    public override void WriteCData(string? text) => inner.WriteCData(text);

    public override void WriteCharEntity(char ch) => inner.WriteCharEntity(ch);

    public override void WriteChars(char[] buffer, int index, int count) => inner.WriteChars(buffer, index, count);

    public override void WriteComment(string? text) => inner.WriteComment(text);

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => inner.WriteDocType(name, pubid, sysid, subset);

    public override void WriteEndDocument() => inner.WriteEndDocument();

    public override void WriteEndElement() => inner.WriteEndElement();

    public override void WriteEntityRef(string name) => inner.WriteEntityRef(name);

    public override void WriteFullEndElement() => inner.WriteFullEndElement();

    public override void WriteProcessingInstruction(string name, string? text) => inner.WriteProcessingInstruction(name, text);

    public override void WriteRaw(char[] buffer, int index, int count) => inner.WriteRaw(buffer, index, count);

    public override void WriteRaw(string data) => inner.WriteRaw(data);

    public override void WriteStartDocument() => inner.WriteStartDocument();

    public override void WriteStartDocument(bool standalone) => inner.WriteStartDocument(standalone);

    public override void WriteStartElement(string? prefix, string localName, string? ns) => inner.WriteStartElement(prefix, localName, ns);

    public override void WriteSurrogateCharEntity(char lowChar, char highChar) => inner.WriteSurrogateCharEntity(lowChar, highChar);

    public override void WriteWhitespace(string? ws) => inner.WriteWhitespace(ws);
}
