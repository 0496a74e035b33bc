using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Feeds.Contracts.Posts;
using Feeds.Core.Parsing;
using Feeds.Core.Posts;
using Feeds.Core.Text;

namespace Feeds.Core.Sources;

/// <summary>What a followed source contributes to each post made from its items.</summary>
/// <param name="Title">The source's name, used as the post's "via" title.</param>
/// <param name="SiteUrl">The source's web site, the post's "via" link; the feed URL stands in when it is unknown.</param>
/// <param name="TagNames">Tags every post from the source carries, first.</param>
/// <param name="MapCategoriesToTags">Whether the item's own categories become tags too.</param>
public sealed record SourcePostSettings(string Title, string FeedUrl, string? SiteUrl, IReadOnlyList<string> TagNames, SourceMode Mode, bool MapCategoriesToTags);

/// <summary>
/// Turns an upstream item into the body of a link post, as an author would submit it; the result still goes through
/// <see cref="PostRules.Validate"/>. Draft posts leave the commentary to the author; published ones quote the item's
/// summary, sanitised. The item's enclosures (a podcast's episode, attached pictures or documents) are listed in the
/// commentary of both, one Markdown link each with its type and size, so the author sees them while writing.
/// </summary>
public static class ItemPosts
{
    /// <summary>A quotation longer than this is replaced by a plain-text excerpt.</summary>
    public const int MaxQuoteLength = 20_000;

    public const int ExcerptLength = 600;

    private const int FallbackTitleLength = 100;

    public static PostInput ToInput(ParsedItem item, SourcePostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(settings);
        return new PostInput
        {
            Url = item.Url?.AbsoluteUri,
            Title = TitleOf(item),
            Commentary = Join(settings.Mode == SourceMode.Publish ? QuoteOf(item) : null, EnclosuresOf(item)),
            Tags = TagsOf(item, settings),
            Via = new ViaInput(settings.SiteUrl ?? settings.FeedUrl, Truncate(QuotedHtml.OneLine(settings.Title), PostLimits.MaxTitleLength)),
            Status = settings.Mode == SourceMode.Publish ? PostStatusNames.Published : PostStatusNames.Draft,
        };
    }

    /// <summary>
    /// A fingerprint of everything in the item a post is made from, so an edit upstream is noticed even when the
    /// item keeps its id.
    /// </summary>
    public static string ContentHash(ParsedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = string.Join(
            '\0',
            item.Url?.AbsoluteUri,
            item.Title,
            item.SummaryHtml,
            item.ContentHtml,
            item.Published?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            item.Updated?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            string.Join('\u001f', item.Categories.Select(c => c.Term)));

        // Items without enclosures keep the fingerprint they had before enclosures were read.
        if (item.Enclosures.Count > 0)
        {
            text += '\0' + string.Join('\u001f', item.Enclosures.Select(e => e.Url.AbsoluteUri));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>The item's title; else the start of its text; else its link.</summary>
    public static string? TitleOf(ParsedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var title = item.Title is null ? null : QuotedHtml.OneLine(item.Title);
        if (string.IsNullOrEmpty(title))
        {
            title = Excerpt(FeedHtml.ToText(item.SummaryHtml ?? item.ContentHtml), FallbackTitleLength);
        }

        if (string.IsNullOrEmpty(title) && item.Url is { } url)
        {
            title = (url.Host + url.AbsolutePath).TrimEnd('/');
        }

        return string.IsNullOrEmpty(title) ? null : Truncate(title, PostLimits.MaxTitleLength);
    }

    /// <summary>The item's text in one line of at most <see cref="ExcerptLength"/> characters, for the drafts queue; null when it has none.</summary>
    public static string? SummaryOf(ParsedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Excerpt(FeedHtml.ToText(item.SummaryHtml ?? item.ContentHtml), ExcerptLength);
    }

    private static string? QuoteOf(ParsedItem item)
    {
        var html = item.SummaryHtml ?? item.ContentHtml;
        var baseUrl = item.Url ?? new Uri("about:blank");
        return QuotedHtml.Quote(html, baseUrl, MaxQuoteLength)
            ?? QuotedHtml.QuoteText(Excerpt(FeedHtml.ToText(html), ExcerptLength));
    }

    private static string? Join(string? quote, string? enclosures) =>
        quote is null ? enclosures : enclosures is null ? quote : quote + "\n\n" + enclosures;

    /// <summary>A Markdown list of the item's enclosures, each a link named after its file, with its type and size when known.</summary>
    public static string? EnclosuresOf(ParsedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Enclosures.Count == 0)
        {
            return null;
        }

        var list = new StringBuilder();
        foreach (var enclosure in item.Enclosures)
        {
            var name = Uri.UnescapeDataString(enclosure.Url.Segments[^1].TrimEnd('/'));
            if (name.Length == 0)
            {
                name = enclosure.Url.Host;
            }

            list.Append(list.Length == 0 ? "Attached:\n\n" : "\n")
                .Append("- [").Append(MarkdownText(QuotedHtml.OneLine(name))).Append("](<")
                .Append(enclosure.Url.AbsoluteUri.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)).Append(">)");
            var details = new List<string>(2);
            if (enclosure.MediaType is { } type)
            {
                details.Add(MarkdownText(QuotedHtml.OneLine(type)));
            }

            if (enclosure.Length is { } length)
            {
                details.Add(Size(length));
            }

            if (details.Count > 0)
            {
                list.Append(" (").AppendJoin(", ", details).Append(')');
            }
        }

        return list.ToString();
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
    };

    /// <summary>Text with every character Markdown could read as syntax escaped.</summary>
    private static string MarkdownText(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '.' or '!' or '<' or '>' or '|' or '&')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>The source's tags, then (when asked for) the item's categories that make acceptable tags, within the post's limit.</summary>
    private static List<string> TagsOf(ParsedItem item, SourcePostSettings settings)
    {
        var candidates = settings.MapCategoriesToTags ? settings.TagNames.Concat(item.Categories.Select(c => c.Term)) : settings.TagNames;
        return [.. TagRules.Acceptable(candidates.Select(QuotedHtml.OneLine)).Select(t => t.Name)];
    }

    private static string? Excerpt(string? text, int length)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = QuotedHtml.OneLine(text);
        if (line.Length <= length)
        {
            return line;
        }

        var cut = line.LastIndexOf(' ', length - 1);
        return cut > length / 2 ? line[..cut].TrimEnd() + "…" : Truncate(line, length);
    }

    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 2]) ? length - 2 : length - 1)] + "…";
}
