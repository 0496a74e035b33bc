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
/// display); HTML fields are compared on their text and on the absolute URLs their links and images point to; dates as
/// instants to the second; URLs as parsed URIs.
/// </summary>
public static class ReferenceComparison
{
    private static readonly HtmlParser Html = new();

    public static List<Disagreement> Compare(string fixture, ParsedFeed? ours, string? ourError, JsonElement reference)
    {
        var found = new List<Disagreement>();
        var referenceRead = reference.GetProperty("bozo").GetInt32() == 0 || reference.GetProperty("entry_count").GetInt32() > 0;
        if (ours is null)
        {
            if (referenceRead)
            {
                found.Add(new Disagreement(fixture, "document", "refused: " + ourError, "read"));
            }

            return found;
        }

        if (!referenceRead)
        {
            // The reference refused a document we read: no field of it can be compared.
            found.Add(new Disagreement(fixture, "document", "read", "refused: " + reference.GetProperty("bozo_exception").GetString()));
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
        Check("feed.title", Text(ours.Title), Text(String(feed, "title")));
        Check("feed.link", Url(ours.SiteUrl?.AbsoluteUri), Url(String(feed, "link")));
        Check("feed.subtitle", Text(ours.Description), Text(String(feed, "subtitle")));

        var entries = reference.GetProperty("entries").EnumerateArray().ToList();
        Check("entry_count", ours.Items.Count.ToString(CultureInfo.InvariantCulture), entries.Count.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < Math.Min(ours.Items.Count, entries.Count); i++)
        {
            var item = ours.Items[i];
            var entry = entries[i];
            var at = $"entries[{i}].";
            Check(at + "id", item.Id, Trimmed(String(entry, "id")));
            Check(at + "title", Text(item.Title), Text(String(entry, "title")));
            Check(at + "link", Url(item.Url?.AbsoluteUri), Url(String(entry, "link")));
            Check(at + "published", Instant(item.Published), String(entry, "published_parsed"));

            // The reference answers "updated" with the published date when an entry has no update date.
            Check(at + "updated", Instant(item.Updated ?? item.Published), String(entry, "updated_parsed"));
            Check(at + "authors", Join(item.Authors.Select(a => Text(a.DisplayName))), Join(Strings(entry, "authors").Select(Text)));
            Check(at + "tags", Join(item.Categories.Select(c => Text(c.Term))), Join(entry.GetProperty("tags").EnumerateArray().Select(t => Text(String(t, "term") ?? String(t, "label")))));
            Check(at + "tags.label", Join(item.Categories.Select(c => Text(c.Label))), Join(entry.GetProperty("tags").EnumerateArray().Select(t => Text(String(t, "label")))));

            var summary = item.SummaryHtml ?? item.ContentHtml;
            Check(at + "summary", Text(summary), Text(String(entry, "summary")));
            Check(at + "summary.links", Links(summary), Links(String(entry, "summary")));
            var content = entry.GetProperty("content").EnumerateArray().Select(c => String(c, "value")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
            Check(at + "content", Text(item.ContentHtml), Text(content));
            Check(at + "content.links", Links(item.ContentHtml), Links(content));

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
