using Feeds.Contracts.Posts;
using Feeds.Contracts.Text;
using Feeds.Core.Text;

namespace Feeds.Core.Posts;

/// <summary>What makes a tag name acceptable, and its slug.</summary>
public static class TagRules
{
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must not be empty.";
        }

        if (name.Length > PostLimits.MaxTagNameLength)
        {
            return $"must be at most {PostLimits.MaxTagNameLength} characters.";
        }

        if (TextRules.Problem(name, allowLineBreaks: false) is { } problem)
        {
            return problem;
        }

        return Slugs.ForTag(name).Length == 0 ? "must contain at least one letter or digit." : null;
    }

    /// <summary>The tag for an acceptable name: its slug, and the name itself trimmed as the display form.</summary>
    public static Tag ToTag(string name) => new(Slugs.ForTag(name), name.Trim());

    /// <summary>
    /// The acceptable tags among names that come from elsewhere (feed categories, OPML folders): names that are not
    /// acceptable are dropped rather than refused, repeats are dropped, and no more than <see cref="PostLimits.MaxTags"/> are kept.
    /// </summary>
    public static List<Tag> Acceptable(IEnumerable<string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var tags = new List<Tag>();
        foreach (var name in names)
        {
            if (tags.Count == PostLimits.MaxTags)
            {
                break;
            }

            if (Problem(name) is null && ToTag(name!) is var tag && !tags.Exists(t => t.Slug == tag.Slug))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>
    /// The tags of a list of names, without repeated slugs; null when the list is not acceptable, with every problem
    /// added under <paramref name="field"/> (too many tags) or <c>field[i]</c> (one bad name).
    /// </summary>
    public static List<Tag>? Check(IReadOnlyList<string?> names, string field, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(problems);
        if (names.Count > PostLimits.MaxTags)
        {
            problems.Add(field, $"must hold at most {PostLimits.MaxTags} tags (got {names.Count}).");
            return null;
        }

        var tags = new List<Tag>();
        var ok = true;
        for (var i = 0; i < names.Count; i++)
        {
            if (Problem(names[i]) is { } problem)
            {
                problems.Add($"{field}[{i}]", problem);
                ok = false;
                continue;
            }

            var tag = ToTag(names[i]!);
            if (!tags.Exists(t => t.Slug == tag.Slug))
            {
                tags.Add(tag);
            }
        }

        return ok ? tags : null;
    }
}
