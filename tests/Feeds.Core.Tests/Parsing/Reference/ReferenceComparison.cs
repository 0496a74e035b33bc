using System.Globalization;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing.Reference;

/// <summary>
/// Compares what our parser read from a document with what <c>parse-feedparser.py --full</c> printed for it, field by
/// field over what both model: the feed's title, link and subtitle; the number of entries; and each entry's id, title,
/// link, dates, authors, categories, summary, content and enclosures. Text is compared as text (HTML reduced to what a
/// reader sees, whitespace collapsed, since the reference sanitises and re-serialises HTML while we leave that to the
/// display; the reference's titles by the type it reports); HTML fields are compared on their text and on the absolute URLs their links and images point to; dates as
/// instants to the second; URLs as parsed URIs. A document we refuse is a disagreement only when the reference reads
/// it without complaint (<c>bozo</c> 0) as a format it knows; one it cannot read at all has nothing to compare.
/// </summary>
public static class ReferenceComparison
{
    private static readonly HtmlParser Html = new();

    public static List<Disagreement> Compare(string fixture, ParsedFeed? ours, string? ourError, JsonElement reference)
    {
        var found = new List<Disagreement>();
        var recognised = !string.IsNullOrEmpty(String(reference, "version"));
        var entryCount = reference.GetProperty("entry_count").GetInt32();
        if (ours is null)
        {
            // Only a document the reference reads without complaint (bozo 0) as a feed it knows must be read.
            if (recognised && reference.GetProperty("bozo").GetInt32() == 0)
            {
                found.Add(new Disagreement(fixture, "document", "refused: " + ourError, "read"));
            }

            return found;
        }

        // A document the reference cannot read at all (JSON Feed, which feedparser 6 does not know; a DTD it refuses)
        // has no fields to compare.
        if (!recognised && entryCount == 0)
        {
            return found;
        }

        void Check(string field, string? mine, string? theirs)
        {
            if (!string.Equals(mine ?? string.Empty, theirs ?? string.Empty, StringComparison.Ordinal))
            {
                found.Add(new Disagreement(fixture, field, mine ?? "(none)", theirs ?? "(none)"));
            }
        }

        var feed = reference.GetProperty("feed");
        Check("feed.title", Plain(ours.Title), Typed(String(feed, "title"), String(feed, "title_type")));
        Check("feed.link", Url(ours.SiteUrl?.AbsoluteUri), Url(String(feed, "link")));
        Check("feed.subtitle", Plain(ours.Description), Text(String(feed, "subtitle")));

        var entries = reference.GetProperty("entries").EnumerateArray().ToList();
        Check("entry_count", ours.Items.Count.ToString(CultureInfo.InvariantCulture), entries.Count.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < Math.Min(ours.Items.Count, entries.Count); i++)
        {
            var item = ours.Items[i];
            var entry = entries[i];
            var at = $"entries[{i}].";
            Check(at + "id", item.Id, Trimmed(String(entry, "id")));
            Check(at + "title", Plain(item.Title), Typed(String(entry, "title"), String(entry, "title_type")));
            Check(at + "link", Url(item.Url?.AbsoluteUri), Url(String(entry, "link")));
            Check(at + "published", Instant(item.Published), String(entry, "published_parsed"));

            // The reference answers "updated" with the published date when an entry has no update date.
            Check(at + "updated", Instant(item.Updated ?? item.Published), String(entry, "updated_parsed"));
            Check(at + "authors", Join(item.Authors.Select(a => Plain(a.DisplayName))), Join(Strings(entry, "authors").Select(Plain)));
            Check(at + "tags", Join(item.Categories.Select(c => Plain(c.Term))), Join(entry.GetProperty("tags").EnumerateArray().Select(t => Plain(String(t, "term") ?? String(t, "label")))));
            Check(at + "tags.label", Join(item.Categories.Select(c => Plain(c.Label))), Join(entry.GetProperty("tags").EnumerateArray().Select(t => Plain(String(t, "label")))));

            // The tool prints the content's type but not the summary's: a summary that is the content has the content's.
            var contents = entry.GetProperty("content").EnumerateArray().Where(c => !string.IsNullOrWhiteSpace(String(c, "value"))).ToList();
            var content = contents.Count > 0 ? String(contents[0], "value") : null;
            var contentType = contents.Count > 0 ? String(contents[0], "type") : null;
            var theirSummary = String(entry, "summary");
            var summary = item.SummaryHtml ?? item.ContentHtml;
            Check(at + "summary", Text(summary), Typed(theirSummary, theirSummary == content ? contentType : null));
            Check(at + "summary.links", Links(summary), Links(theirSummary));
            Check(at + "content", Text(item.ContentHtml), Typed(content, contentType));
            Check(at + "content.links", Links(item.ContentHtml), contentType is "text/html" or "application/xhtml+xml" ? Links(content) : null);

            // The reference's enclosures (RSS enclosure, links with rel="enclosure") are ours too; ours also come from
            // Media RSS and JSON Feed attachments, which it keeps elsewhere.
            foreach (var enclosure in entry.GetProperty("enclosures").EnumerateArray())
            {
                var href = Url(String(enclosure, "href"));
                var mine = item.Enclosures.FirstOrDefault(e => Url(e.Url.AbsoluteUri) == href);
                var length = String(enclosure, "length");
                var expected = $"{href} {String(enclosure, "type")} {(long.TryParse(length, out var n) && n > 0 ? n.ToString(CultureInfo.InvariantCulture) : string.Empty)}".Trim();
                Check(at + "enclosures", mine is null ? null : $"{Url(mine.Url.AbsoluteUri)} {mine.MediaType} {mine.Length}".Trim(), expected);
            }
        }

        return found;
    }

    private static string? String(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string?> Strings(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null)
            : [];

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Join(IEnumerable<string?> values) => string.Join(" · ", values.Where(v => v is not null));

    /// <summary>Plain text with whitespace collapsed.</summary>
    private static string? Plain(string? text)
    {
        var collapsed = string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>A value the reference gives with its media type: HTML read as a reader sees it, anything else as plain text.</summary>
    private static string? Typed(string? value, string? type) =>
        type is null or "text/html" or "application/xhtml+xml" || type.EndsWith("+xml", StringComparison.Ordinal) ? Text(value) : Plain(value);

    /// <summary>What a reader sees of an HTML fragment (or of text, which reads the same), whitespace collapsed.</summary>
    public static string? Text(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = html.Contains('<', StringComparison.Ordinal) || html.Contains('&', StringComparison.Ordinal)
            ? Html.ParseDocument("<body>" + html).Body?.TextContent ?? string.Empty
            : html;
        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>The <c>href</c> and <c>src</c> values of an HTML fragment, in order, as absolute URLs where they are.</summary>
    private static string? Links(string? html)
    {
        if (string.IsNullOrWhiteSpace(html) || !html.Contains('<', StringComparison.Ordinal))
        {
            return null;
        }

        var body = Html.ParseDocument("<body>" + html).Body!;
        var links = body.QuerySelectorAll("[href], [src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src"))
            .Select(v => Url(v) ?? v);
        var joined = Join(links);
        return joined.Length == 0 ? null : joined;
    }

    private static string? Url(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) ? uri.AbsoluteUri
        : value.Trim();

    private static string? Instant(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
