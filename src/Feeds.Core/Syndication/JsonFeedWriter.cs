using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Feeds.Core.Syndication;

/// <summary>
/// JSON Feed 1.1. Strings are cleaned like the XML formats', by <see cref="Feeds.Core.Text.TextRules.ForXml"/> (so a post reads the same everywhere and no
/// unpaired surrogate reaches the UTF-8 encoder). JSON Feed has no paging backwards and no archive marker,
/// so only <c>next_url</c> of the RFC 5005 links is carried; a WebSub hub is named in <c>hubs</c>.
/// </summary>
public sealed class JsonFeedWriter : IFeedWriter
{
    public const string Version = "https://jsonfeed.org/version/1.1";

    // The feed is served as its own document, never inlined into HTML, so markup characters and
    // non-ASCII text need no escaping: the output stays smaller and readable.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionValue = JsonEncodedText.Encode(Version);
    private static readonly JsonEncodedText TitleName = JsonEncodedText.Encode("title");
    private static readonly JsonEncodedText HomePageUrlName = JsonEncodedText.Encode("home_page_url");
    private static readonly JsonEncodedText FeedUrlName = JsonEncodedText.Encode("feed_url");
    private static readonly JsonEncodedText NextUrlName = JsonEncodedText.Encode("next_url");
    private static readonly JsonEncodedText DescriptionName = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText IconName = JsonEncodedText.Encode("icon");
    private static readonly JsonEncodedText AuthorsName = JsonEncodedText.Encode("authors");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText UrlName = JsonEncodedText.Encode("url");
    private static readonly JsonEncodedText ItemsName = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ExternalUrlName = JsonEncodedText.Encode("external_url");
    private static readonly JsonEncodedText ContentHtmlName = JsonEncodedText.Encode("content_html");
    private static readonly JsonEncodedText DatePublishedName = JsonEncodedText.Encode("date_published");
    private static readonly JsonEncodedText DateModifiedName = JsonEncodedText.Encode("date_modified");
    private static readonly JsonEncodedText TagsName = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText HubsName = JsonEncodedText.Encode("hubs");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText WebSubType = JsonEncodedText.Encode("WebSub");

    public string MediaType => "application/feed+json; charset=utf-8";

    public string FileExtension => "json";

    public void Write(FeedDocument feed, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, Options);
        WriteFeed(json, feed);
    }

    public void Write(FeedDocument feed, IBufferWriter<byte> destination)
    {
        using var json = new Utf8JsonWriter(destination, Options);
        WriteFeed(json, feed);
    }

    private static void WriteFeed(Utf8JsonWriter json, FeedDocument feed)
    {
        json.WriteStartObject();
        json.WriteString(VersionName, VersionValue);
        json.WriteString(TitleName, Clean(feed.Title));
        json.WriteString(HomePageUrlName, Url(feed.AlternateUrl));
        json.WriteString(FeedUrlName, Url(feed.SelfUrl));
        WriteOptionalUrl(json, NextUrlName, feed.NextUrl);
        WriteOptional(json, DescriptionName, feed.Subtitle);
        WriteOptionalUrl(json, IconName, feed.IconUrl);

        if (feed.Author is { } author)
        {
            json.WriteStartArray(AuthorsName);
            json.WriteStartObject();
            json.WriteString(NameName, Clean(author.Name));
            WriteOptionalUrl(json, UrlName, author.Url);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        if (feed.HubUrl is not null)
        {
            json.WriteStartArray(HubsName);
            json.WriteStartObject();
            json.WriteString(TypeName, WebSubType);
            json.WriteString(UrlName, Url(feed.HubUrl));
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartArray(ItemsName);
        foreach (var entry in feed.Entries)
        {
            WriteItem(json, entry);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteItem(Utf8JsonWriter json, FeedEntry entry)
    {
        json.WriteStartObject();
        json.WriteString(IdName, Clean(entry.Id));
        json.WriteString(UrlName, Url(entry.AlternateUrl));
        if (entry.RelatedUrl != entry.AlternateUrl)
        {
            json.WriteString(ExternalUrlName, Url(entry.RelatedUrl));
        }

        json.WriteString(TitleName, Clean(entry.Title));
        json.WriteString(ContentHtmlName, Clean(entry.ContentHtml));
        WriteDate(json, DatePublishedName, entry.Published);
        WriteDate(json, DateModifiedName, entry.Updated);
        if (entry.Categories.Count > 0)
        {
            json.WriteStartArray(TagsName);
            foreach (var category in entry.Categories)
            {
                json.WriteStringValue(Clean(category.Label));
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, Clean(value));
        }
    }

    private static void WriteOptionalUrl(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, Url(value));
        }
    }

    /// <summary>JSON Feed asks for URLs, not IRIs, and validators check the format: written as every format writes them.</summary>
    private static string Url(string value) => SyndicationMapping.Href(value) ?? Clean(value);

    /// <summary>RFC 3339 in UTC to the second, the same text the Atom writer produces.</summary>
    private static void WriteDate(Utf8JsonWriter json, JsonEncodedText name, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[20];
        value.UtcDateTime.TryFormat(text, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
        json.WriteString(name, text[..written]);
    }

    private static string Clean(string text) => XmlChars.Clean(text);
}
