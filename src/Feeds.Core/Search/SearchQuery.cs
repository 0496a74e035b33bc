using System.Globalization;
using Feeds.Contracts.Text;
using Feeds.Core.Posts;

namespace Feeds.Core.Search;

/// <summary>
/// A search as a person types it: words (all must match; <c>wal*</c> for a prefix), <c>"phrases"</c>, <c>-word</c>,
/// <c>tag:python</c> (every tag named), <c>site:example.com</c> (any site named, subdomains too),
/// <c>before:2025-01-01</c> (published before that day, UTC), <c>after:2025-01-01</c> (after that day), <c>is:draft</c>.
/// Parsing never fails: an unpaired quote, an unknown <c>key:</c>, a bad date or any operator character is read as
/// plain words, and what is neither letter nor digit only separates words.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>Text beyond this many characters is not read.</summary>
    public const int MaxLength = 1_000;

    /// <summary>Words and phrases beyond this many (included and excluded together) are not read.</summary>
    public const int MaxTerms = 16;

    /// <summary>Tag and site filters beyond this many each are not read.</summary>
    public const int MaxFilters = 5;

    public IReadOnlyList<SearchTerm> Terms { get; init; } = [];

    public IReadOnlyList<SearchTerm> Excluded { get; init; } = [];

    /// <summary>Tag slugs a post must carry, every one.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Hosts (see <see cref="SearchDocument.SiteFilter"/>) a post must link to, any one.</summary>
    public IReadOnlyList<string> Sites { get; init; } = [];

    /// <summary>Posts dated before the start of this day (UTC).</summary>
    public DateOnly? Before { get; init; }

    /// <summary>Posts dated from the end of this day (UTC) on.</summary>
    public DateOnly? After { get; init; }

    /// <summary><c>is:draft</c>: drafts only, for the author.</summary>
    public bool Drafts { get; init; }

    /// <summary>True when the text asked for nothing a post could be matched on (only excluded words count as nothing).</summary>
    public bool IsEmpty => Terms.Count == 0 && Excluded.Count == 0 && Tags.Count == 0 && Sites.Count == 0 && Before is null && After is null && !Drafts;

    /// <summary>The first instant not before <see cref="Before"/>'s day, as a time.</summary>
    public DateTimeOffset? BeforeTime => Before is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>The first instant after <see cref="After"/>'s day.</summary>
    public DateTimeOffset? AfterTime => After is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>
    /// The query in its own language, in a fixed order: queries that find the same posts read the same, so this names a
    /// search feed and keys its cached documents.
    /// </summary>
    public override string ToString()
    {
        var parts = new List<string>(Terms.Count + Excluded.Count + Tags.Count + Sites.Count + 3);
        parts.AddRange(Terms.Select(t => t.ToString()).Order(StringComparer.Ordinal));
        parts.AddRange(Excluded.Select(t => "-" + t).Order(StringComparer.Ordinal));
        parts.AddRange(Tags.Select(t => "tag:" + t).Order(StringComparer.Ordinal));
        parts.AddRange(Sites.Select(s => "site:" + s).Order(StringComparer.Ordinal));
        if (Before is { } before)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"before:{before:yyyy-MM-dd}"));
        }

        if (After is { } after)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"after:{after:yyyy-MM-dd}"));
        }

        if (Drafts)
        {
            parts.Add("is:draft");
        }

        return string.Join(' ', parts);
    }

    public static SearchQuery Parse(string? text)
    {
        var source = text ?? "";
        if (source.Length > MaxLength)
        {
            source = source[..MaxLength];
        }

        var terms = new List<SearchTerm>();
        var excluded = new List<SearchTerm>();
        var tags = new List<string>();
        var sites = new List<string>();
        DateOnly? before = null, after = null;
        var drafts = false;

        void AddTerm(string raw, bool exclude, bool quoted)
        {
            var words = SearchText.Words(raw);
            if (words.Count == 0 || terms.Count + excluded.Count >= MaxTerms)
            {
                return;
            }

            var prefix = !quoted && words.Count == 1 && raw.TrimEnd().EndsWith('*');
            (exclude ? excluded : terms).Add(new SearchTerm(words, prefix));
        }

        var i = 0;
        while (i < source.Length)
        {
            if (char.IsWhiteSpace(source[i]))
            {
                i++;
                continue;
            }

            var exclude = source[i] == '-' && i + 1 < source.Length && !char.IsWhiteSpace(source[i + 1]);
            var start = exclude ? i + 1 : i;
            if (source[start] == '"' && source.IndexOf('"', start + 1) is var close and > 0)
            {
                AddTerm(source[(start + 1)..close], exclude, quoted: true);
                i = close + 1;
                continue;
            }

            var end = start;
            while (end < source.Length && !char.IsWhiteSpace(source[end]))
            {
                end++;
            }

            var token = source[start..end];
            i = end;
            if (exclude || !TryFilter(token))
            {
                AddTerm(token, exclude, quoted: false);
            }
        }

        return new SearchQuery
        {
            Terms = terms,
            Excluded = excluded,
            Tags = tags,
            Sites = sites,
            Before = before,
            After = after,
            Drafts = drafts,
        };

        bool TryFilter(string token)
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == token.Length - 1)
            {
                return false;
            }

            var value = token[(colon + 1)..];
            switch (token[..colon].ToLowerInvariant())
            {
                case "tag":
                    var slug = Slugs.ForTag(value);
                    if (slug.Length > 0 && tags.Count < MaxFilters && !tags.Contains(slug))
                    {
                        tags.Add(slug);
                    }

                    return slug.Length > 0;
                case "site":
                    if (SearchDocument.SiteFilter(value) is not { } site)
                    {
                        return false;
                    }

                    if (sites.Count < MaxFilters && !sites.Contains(site))
                    {
                        sites.Add(site);
                    }

                    return true;
                case "before" when TryDay(value, out var day):
                    before = day;
                    return true;
                case "after" when TryDay(value, out var day):
                    after = day;
                    return true;
                case "is" when value.Equals("draft", StringComparison.OrdinalIgnoreCase):
                    drafts = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="post"/> answers this query, status aside: the reference every index is held to, read
    /// word by word over the post itself.
    /// </summary>
    public bool Matches(Post post)
    {
        var document = SearchDocument.For(post);
        var fields = document.Fields.Select(f => (IReadOnlyList<string>)f.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var sortAt = post.PermalinkDate;
        return Terms.All(t => fields.Any(t.IsIn))
            && !Excluded.Any(t => fields.Any(t.IsIn))
            && Tags.All(slug => post.Tags.Any(t => t.Slug == slug))
            && (Sites.Count == 0 || Sites.Any(document.IsOn))
            && (BeforeTime is not { } until || sortAt < until)
            && (AfterTime is not { } from || sortAt >= from);
    }

    private static bool TryDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
