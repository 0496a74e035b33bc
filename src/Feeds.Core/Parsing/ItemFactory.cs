using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>Finishes an item the same way for every format, so de-duplication cannot drift between them.</summary>
internal static class ItemFactory
{
    private const string HashPrefix = "sha256:";

    public static ParsedItem Create(ItemDraft draft)
    {
        var id = string.IsNullOrWhiteSpace(draft.Id) ? null : draft.Id.Trim();
        var title = FeedHtml.CollapseWhitespace(draft.Title);
        var categories = DistinctBy(draft.Categories, c => c.Term);
        var authors = DistinctBy(draft.Authors, a => a.DisplayName);
        var enclosures = DistinctBy(draft.Enclosures, e => e.Url.AbsoluteUri);
        var item = new ParsedItem
        {
            Id = id,
            Url = draft.Url,
            Title = title,
            SummaryHtml = draft.SummaryHtml,
            ContentHtml = draft.ContentHtml,
            Published = draft.Published,
            Updated = draft.Updated,
            Categories = categories,
            Authors = authors,
            Enclosures = enclosures,
            ImageUrl = draft.ImageUrl,
            DedupeKey = string.Empty,
        };
        return item with { DedupeKey = id ?? draft.Url?.AbsoluteUri ?? HashKey(item) };
    }

    /// <summary>
    /// A key for an item with neither id nor link: a hash of its title and content, as it always was (so stored keys
    /// still match); an item with neither hashes everything else it holds too, so two such items differ when anything
    /// in them does (an item may carry only an enclosure, or only a date).
    /// </summary>
    private static string HashKey(ParsedItem item)
    {
        var content = item.ContentHtml ?? item.SummaryHtml;
        var text = new StringBuilder().Append(item.Title).Append('\n').Append(content);
        if (item.Title is null && content is null)
        {
            text.Append('\n').Append(item.Published?.UtcTicks.ToString(CultureInfo.InvariantCulture))
                .Append('\n').Append(item.Updated?.UtcTicks.ToString(CultureInfo.InvariantCulture))
                .Append('\n').AppendJoin(' ', item.Enclosures.Select(e => e.Url.AbsoluteUri))
                .Append('\n').AppendJoin(' ', item.Categories.Select(c => c.Term))
                .Append('\n').AppendJoin(' ', item.Authors.Select(a => a.DisplayName))
                .Append('\n').Append(item.ImageUrl?.AbsoluteUri);
        }

        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static T[] DistinctBy<T>(List<T> values, Func<T, string> key)
    {
        if (values.Count == 0)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<T>(values.Count);
        foreach (var value in values)
        {
            if (seen.Add(key(value)))
            {
                result.Add(value);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// Items without repeats of a <see cref="ParsedItem.DedupeKey"/>: of items sharing an id or link the first is kept
    /// (feeds list newest first), so one poll never hands the store two rows for the same key; items keyed by their
    /// content are all kept, the second and later of identical ones numbered in document order.
    /// </summary>
    public static ParsedItem[] FirstOfEachKey(IEnumerable<ParsedItem> items)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<ParsedItem>();
        foreach (var item in items)
        {
            if (!seen.TryGetValue(item.DedupeKey, out var count))
            {
                seen[item.DedupeKey] = 1;
                kept.Add(item);
            }
            else if (item.DedupeKey.StartsWith(HashPrefix, StringComparison.Ordinal))
            {
                seen[item.DedupeKey] = ++count;
                kept.Add(item with { DedupeKey = item.DedupeKey + "#" + count.ToString(CultureInfo.InvariantCulture) });
            }
        }

        return [.. kept];
    }

    /// <summary>Called for each item as the reader meets it, so a document is refused at its first item too many, before the rest is read.</summary>
    /// <param name="count">How many items the reader has met so far, this one included.</param>
    public static void CheckCount(int count)
    {
        if (count > FeedLimits.MaxItems)
        {
            throw new FeedParseException($"The document has more than {FeedLimits.MaxItems:N0} items; longer feeds are refused.");
        }
    }
}
