namespace Feeds.Core.Parsing;

/// <summary>
/// An item while its reader fills it: the format's own elements first, then <see cref="ItemExtensions"/> fills what
/// they left empty. <see cref="ItemFactory.Create"/> finishes it.
/// </summary>
internal sealed class ItemDraft
{
    public string? Id { get; set; }

    public Uri? Url { get; set; }

    public string? Title { get; set; }

    public string? SummaryHtml { get; set; }

    public string? ContentHtml { get; set; }

    public DateTimeOffset? Published { get; set; }

    public DateTimeOffset? Updated { get; set; }

    public List<ParsedCategory> Categories { get; } = [];

    public List<ParsedAuthor> Authors { get; } = [];

    public List<ParsedEnclosure> Enclosures { get; } = [];

    public Uri? ImageUrl { get; set; }

    public void AddCategory(string? term, string? label = null, string? scheme = null)
    {
        var cleanTerm = FeedHtml.CollapseWhitespace(term);
        var cleanLabel = FeedHtml.CollapseWhitespace(label);
        if (cleanTerm is null && cleanLabel is null)
        {
            return;
        }

        Categories.Add(new ParsedCategory(cleanTerm ?? cleanLabel!, cleanTerm is null ? null : cleanLabel, FeedHtml.CollapseWhitespace(scheme)));
    }

    public void AddEnclosure(string? url, string? mediaType, string? length, Uri baseUrl)
    {
        if (FeedHtml.AbsoluteHttp(url, baseUrl) is not { } absolute)
        {
            return;
        }

        var bytes = long.TryParse(length?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (long?)null;
        Enclosures.Add(new ParsedEnclosure(absolute, FeedHtml.CollapseWhitespace(mediaType), bytes));
    }
}
