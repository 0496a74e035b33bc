using System.Text.Json;

namespace Feeds.Core.Parsing;

/// <summary>
/// JSON Feed 1.0 and 1.1 (<c>author</c> and <c>authors</c> both honoured, numeric ids accepted), read from UTF-8.
/// Items are counted in a first pass that builds nothing, so a document with too many is refused at its first item over
/// the limit, before any of it is loaded.
/// </summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = Options.MaxDepth,
        CommentHandling = Options.CommentHandling,
        AllowTrailingCommas = Options.AllowTrailingCommas,
    };

    /// <param name="utf8">The document, which the returned feed no longer refers to.</param>
    public static ParsedFeed Read(ReadOnlyMemory<byte> utf8, Uri documentUrl)
    {
        JsonDocument document;
        try
        {
            CheckItemCount(utf8.Span);
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new FeedParseException($"The document is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FeedParseException("The JSON document is not an object, so it is not a JSON Feed.");
            }

            var version = String(root, "version");
            if (version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedParseException("The JSON document has no JSON Feed \"version\" (https://jsonfeed.org/version/1.1).");
            }

            var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
            var count = items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
            var feedAuthors = Authors(root);
            var siteUrl = FeedHtml.AbsoluteHttp(String(root, "home_page_url"), documentUrl);
            var parsed = new List<ParsedItem>(count);
            if (count > 0)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        parsed.Add(ReadItem(item, feedAuthors, siteUrl, documentUrl));
                    }
                }
            }

            return new ParsedFeed
            {
                Format = version.TrimEnd('/').EndsWith("/1", StringComparison.Ordinal) ? FeedFormat.JsonFeed10 : FeedFormat.JsonFeed11,
                Title = FeedHtml.CollapseWhitespace(String(root, "title")),
                SiteUrl = siteUrl,
                SelfUrl = FeedHtml.AbsoluteHttp(String(root, "feed_url"), documentUrl),
                Description = FeedHtml.CollapseWhitespace(String(root, "description")),
                Items = ItemFactory.FirstOfEachKey(parsed),
            };
        }
    }

    /// <summary>Counts the values of every top-level <c>items</c> array, stepping over their content unread.</summary>
    private static void CheckItemCount(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isItems = reader.ValueTextEquals("items"u8);
            reader.Read();
            if (!isItems || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ItemFactory.CheckCount(++count);
                reader.Skip();
            }
        }
    }

    private static ParsedItem ReadItem(JsonElement item, List<string?> feedAuthors, Uri? siteUrl, Uri documentUrl)
    {
        var url = FeedHtml.AbsoluteHttp(String(item, "url"), documentUrl) ?? FeedHtml.AbsoluteHttp(String(item, "external_url"), documentUrl);
        var authors = Authors(item);
        var tags = new List<string?>();
        if (item.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in list.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String)
                {
                    tags.Add(tag.GetString());
                }
            }
        }

        // Like RSS, JSON Feed HTML was written for the item's own page.
        var contentHtml = FeedHtml.ResolveLinks(String(item, "content_html"), url ?? siteUrl ?? documentUrl)
            ?? FeedHtml.FromText(String(item, "content_text"));
        return ItemFactory.Create(
            String(item, "id"),
            url,
            FeedHtml.CollapseWhitespace(String(item, "title")),
            FeedHtml.FromText(String(item, "summary")),
            contentHtml,
            FeedDates.Parse(String(item, "date_published")),
            FeedDates.Parse(String(item, "date_modified")),
            tags,
            authors.Count > 0 ? authors : feedAuthors);
    }

    private static List<string?> Authors(JsonElement owner)
    {
        var authors = new List<string?>();
        if (owner.TryGetProperty("authors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in list.EnumerateArray())
            {
                if (Author(author) is { } name)
                {
                    authors.Add(name);
                }
            }
        }
        else if (owner.TryGetProperty("author", out var single) && Author(single) is { } name)
        {
            authors.Add(name);
        }

        return authors;
    }

    private static string? Author(JsonElement author) =>
        author.ValueKind == JsonValueKind.Object
            ? FeedHtml.CollapseWhitespace(String(author, "name")) ?? FeedHtml.CollapseWhitespace(String(author, "url"))
            : null;

    /// <summary>A string member; numbers are accepted as their text because some publishers write numeric ids.</summary>
    private static string? String(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
