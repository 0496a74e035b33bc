using System.Security.Cryptography;
using System.Text;

namespace Feeds.Core.Parsing;

/// <summary>Finishes an item the same way for every format, so de-duplication cannot drift between them.</summary>
internal static class ItemFactory
{
    public static ParsedItem Create(
        string? id,
        Uri? url,
        string? title,
        string? summaryHtml,
        string? contentHtml,
        DateTimeOffset? published,
        DateTimeOffset? updated,
        IEnumerable<string?> categories,
        IEnumerable<string?> authors)
    {
        id = string.IsNullOrWhiteSpace(id) ? null : id.Trim();
        return new ParsedItem
        {
            Id = id,
            Url = url,
            Title = title,
            SummaryHtml = summaryHtml,
            ContentHtml = contentHtml,
            Published = published,
            Updated = updated,
            Categories = Distinct(categories),
            Authors = Distinct(authors),
            DedupeKey = id ?? url?.AbsoluteUri ?? HashKey(title, contentHtml ?? summaryHtml),
        };
    }

    private static string HashKey(string? title, string? content)
    {
        var text = (title ?? string.Empty) + "\n" + (content ?? string.Empty);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string[] Distinct(IEnumerable<string?> values)
    {
        List<string>? result = null;
        foreach (var value in values)
        {
            var clean = FeedHtml.CollapseWhitespace(value);
            if (clean is null)
            {
                continue;
            }

            result ??= [];
            if (!ContainsIgnoringCase(result, clean))
            {
                result.Add(clean);
            }
        }

        return result is null ? [] : [.. result];
    }

    private static bool ContainsIgnoringCase(List<string> values, string value)
    {
        foreach (var existing in values)
        {
            if (string.Equals(existing, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Items without repeats of a <see cref="ParsedItem.DedupeKey"/>, keeping the first (feeds list newest first),
    /// so one poll never hands the store two rows for the same key.
    /// </summary>
    public static ParsedItem[] FirstOfEachKey(IEnumerable<ParsedItem> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<ParsedItem>();
        foreach (var item in items)
        {
            if (seen.Add(item.DedupeKey))
            {
                kept.Add(item);
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
