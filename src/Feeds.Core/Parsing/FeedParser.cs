namespace Feeds.Core.Parsing;

/// <summary>
/// Reads an upstream feed (RSS 0.90–2.0, RSS 1.0, Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1), detecting the
/// format from the document, never from the URL or the Content-Type. Every problem with the document surfaces
/// as a <see cref="FeedParseException"/> whose message can be shown to the source's owner as is.
/// </summary>
public static class FeedParser
{
    public static ParsedFeed Parse(ReadOnlyMemory<byte> body, Uri documentUrl, string? httpContentType = null)
    {
        ArgumentNullException.ThrowIfNull(documentUrl);
        if (!documentUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The document URL must be absolute.", nameof(documentUrl));
        }

        if (body.Length > FeedLimits.MaxBodyBytes)
        {
            throw TooLarge();
        }

        if (IsUtf8Json(body, httpContentType, out var json))
        {
            return JsonFeedReader.Read(json, documentUrl);
        }

        var text = FeedEncoding.Decode(body.Span, httpContentType);
        var first = FirstSignificant(text);
        if (first < 0)
        {
            throw new FeedParseException("The document is empty.");
        }

        if (text[first] == '{')
        {
            return JsonFeedReader.Read(System.Text.Encoding.UTF8.GetBytes(text[first..]), documentUrl);
        }

        if (text[first] != '<')
        {
            throw new FeedParseException("The document is neither XML nor JSON.");
        }

        if (Sniff.IsHtml(text.AsSpan(first)))
        {
            throw new FeedParseException("The document is an HTML page, not a feed; look for <link rel=\"alternate\"> feeds in it.");
        }

        var root = SafeXml.Load(text);
        return root.LocalName switch
        {
            "rss" => RssReader.ReadRss(root, documentUrl),
            "RDF" when root.Namespace == RssReader.Rdf => RssReader.ReadRdf(root, documentUrl),
            "feed" => AtomReader.Read(root, documentUrl),
            "html" => throw new FeedParseException("The document is an HTML page, not a feed."),
            _ => throw new FeedParseException($"The document's root element <{root.LocalName}> is not RSS, RDF or Atom."),
        };
    }

    public static ParsedFeed Parse(Stream body, Uri documentUrl, string? httpContentType = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = body.Read(chunk, 0, chunk.Length)) > 0)
        {
            Append(buffer, chunk, read);
        }

        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), documentUrl, httpContentType);
    }

    public static async Task<ParsedFeed> ParseAsync(Stream body, Uri documentUrl, string? httpContentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            Append(buffer, chunk, read);
        }

        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), documentUrl, httpContentType);
    }

    private static void Append(MemoryStream buffer, byte[] chunk, int count)
    {
        if (buffer.Length + count > FeedLimits.MaxBodyBytes)
        {
            throw TooLarge();
        }

        buffer.Write(chunk, 0, count);
    }

    private static FeedParseException TooLarge() =>
        new($"The document is larger than {FeedLimits.MaxBodyBytes / (1024 * 1024)} MiB.");

    /// <summary>The body from its opening brace when it is UTF-8 JSON, which is read as it is rather than decoded to text first.</summary>
    private static bool IsUtf8Json(ReadOnlyMemory<byte> body, string? httpContentType, out ReadOnlyMemory<byte> json)
    {
        json = default;
        if (FeedEncoding.Detect(body.Span, httpContentType, out var preambleLength).CodePage != 65001)
        {
            return false;
        }

        var bytes = body[preambleLength..];
        var start = bytes.Span.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || bytes.Span[start] != (byte)'{')
        {
            return false;
        }

        json = bytes[start..];
        return true;
    }

    private static int FirstSignificant(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && text[i] != '\uFEFF')
            {
                return i;
            }
        }

        return -1;
    }
}
