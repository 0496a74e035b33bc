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

            var version = String(root, "version")?.Trim();
            List<string> warnings = [];
            if (version is "1" or "1.0" or "1.1")
            {
                warnings.Add($"The JSON Feed gives its version as \"{version}\" instead of its URL (https://jsonfeed.org/version/1.1); it was read as JSON Feed {version}.");
                version = "https://jsonfeed.org/version/" + (version == "1.1" ? "1.1" : "1");
            }

            if (version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedParseException("The JSON document has no JSON Feed \"version\" (https://jsonfeed.org/version/1.1).");
            }

            var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
            var count = items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
            var feedAuthors = Authors(root, documentUrl);
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
                HubUrl = Hub(root, documentUrl),
                Description = FeedHtml.CollapseWhitespace(String(root, "description")),
                Items = ItemFactory.FirstOfEachKey(parsed),
                Warnings = warnings,
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

    private static ParsedItem ReadItem(JsonElement item, List<ParsedAuthor> feedAuthors, Uri? siteUrl, Uri documentUrl)
    {
        var url = FeedHtml.AbsoluteHttp(String(item, "url"), documentUrl) ?? FeedHtml.AbsoluteHttp(String(item, "external_url"), documentUrl);

        // Like RSS, JSON Feed HTML was written for the item's own page.
        var draft = new ItemDraft
        {
            Id = String(item, "id"),
            Url = url,
            Title = FeedHtml.CollapseWhitespace(String(item, "title")),
            SummaryHtml = FeedHtml.FromText(String(item, "summary")),
            ContentHtml = FeedHtml.ResolveLinks(String(item, "content_html"), url ?? siteUrl ?? documentUrl)
                ?? FeedHtml.FromText(String(item, "content_text")),
            Published = FeedDates.Parse(String(item, "date_published")),
            Updated = FeedDates.Parse(String(item, "date_modified")),
            ImageUrl = FeedHtml.AbsoluteHttp(String(item, "image"), documentUrl) ?? FeedHtml.AbsoluteHttp(String(item, "banner_image"), documentUrl),
        };

        foreach (var tag in Array(item, "tags"))
        {
            if (tag.ValueKind == JsonValueKind.String)
            {
                draft.AddCategory(tag.GetString());
            }
        }

        foreach (var attachment in Array(item, "attachments"))
        {
            if (attachment.ValueKind == JsonValueKind.Object)
            {
                draft.AddEnclosure(String(attachment, "url"), String(attachment, "mime_type"), String(attachment, "size_in_bytes"), documentUrl);
            }
        }

        var authors = Authors(item, documentUrl);
        draft.Authors.AddRange(authors.Count > 0 ? authors : feedAuthors);
        return ItemFactory.Create(draft);
    }

    /// <summary>The elements of an array member; none when the member is missing or not an array.</summary>
    private static JsonElement[] Array(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];

    private static List<ParsedAuthor> Authors(JsonElement owner, Uri documentUrl)
    {
        var authors = new List<ParsedAuthor>();
        if (owner.TryGetProperty("authors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in list.EnumerateArray())
            {
                if (Author(author, documentUrl) is { } parsed)
                {
                    authors.Add(parsed);
                }
            }
        }
        else if (owner.TryGetProperty("author", out var single) && Author(single, documentUrl) is { } parsed)
        {
            authors.Add(parsed);
        }

        return authors;
    }

    private static ParsedAuthor? Author(JsonElement author, Uri documentUrl)
    {
        if (author.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = FeedHtml.CollapseWhitespace(String(author, "name"));
        var url = FeedHtml.AbsoluteHttp(String(author, "url"), documentUrl);
        return name is null && url is null ? null : new ParsedAuthor(name, null, url);
    }

    /// <summary>The first <c>hubs</c> entry of type WebSub with a usable URL (JSON Feed 1.1: the type names the protocol).</summary>
    private static Uri? Hub(JsonElement root, Uri documentUrl)
    {
        if (!root.TryGetProperty("hubs", out var hubs) || hubs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var hub in hubs.EnumerateArray())
        {
            if (hub.ValueKind == JsonValueKind.Object
                && String(hub, "type") is { } type && (type.Equals("WebSub", StringComparison.OrdinalIgnoreCase) || type.Equals("PubSubHubbub", StringComparison.OrdinalIgnoreCase))
                && FeedHtml.AbsoluteHttp(String(hub, "url"), documentUrl) is { } url)
            {
                return url;
            }
        }

        return null;
    }

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
