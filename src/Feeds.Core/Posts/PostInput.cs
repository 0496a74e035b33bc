using Feeds.Core.Text;

namespace Feeds.Core.Posts;

/// <summary>A post as the author submits it, before validation. Every member may be missing or wrong.</summary>
public sealed record PostInput
{
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Commentary { get; init; }
    public IReadOnlyList<string?>? Tags { get; init; }
    public ViaInput? Via { get; init; }

    /// <summary><c>draft</c> or <c>published</c>; missing means published.</summary>
    public string? Status { get; init; }

    /// <summary>With status published: a future time schedules the post, a past one backdates it.</summary>
    public DateTimeOffset? PublishAt { get; init; }
}

public sealed record ViaInput(string? Url, string? Title);

/// <summary>A validated, normalised post body, ready to store.</summary>
public sealed record PostContent(
    string Url,
    string Title,
    string Commentary,
    IReadOnlyList<Tag> Tags,
    Via? Via,
    PostStatus Status,
    DateTimeOffset? PublishAt);

/// <summary>The limits of a post, checked in one place for the API, the importer and the aggregator.</summary>
public static class PostRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxTitleLength = 500;
    public const int MaxCommentaryLength = 100_000;
    public const int MaxTags = 20;

    /// <summary>
    /// Validates <paramref name="input"/>. Returns the normalised content, or null with every problem
    /// keyed by the JSON path of the field it concerns (<c>url</c>, <c>tags[2]</c>, <c>via.url</c>).
    /// </summary>
    public static PostContent? Validate(PostInput input, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        var problems = new ProblemList();

        var url = CheckUrl(input.Url, "url", required: true, problems);
        var title = CheckText(input.Title, "title", MaxTitleLength, required: true, multiLine: false, problems);
        var commentary = CheckText(input.Commentary, "commentary", MaxCommentaryLength, required: false, multiLine: true, problems) ?? string.Empty;
        var tags = CheckTags(input.Tags, problems);

        Via? via = null;
        if (input.Via is { } viaInput)
        {
            var viaUrl = CheckUrl(viaInput.Url, "via.url", required: true, problems);
            var viaTitle = CheckText(viaInput.Title, "via.title", MaxTitleLength, required: false, multiLine: false, problems);
            if (viaUrl is not null)
            {
                via = new Via(viaUrl, string.IsNullOrWhiteSpace(viaTitle) ? null : viaTitle);
            }
        }

        var status = PostStatus.Published;
        if (input.Status is not null
            && (!PostStatusNames.TryParse(input.Status, out status) || status == PostStatus.Scheduled))
        {
            problems.Add("status", "must be \"draft\" or \"published\" (a future publishAt schedules a published post).");
        }

        DateTimeOffset? publishAt = input.PublishAt?.ToUniversalTime();
        if (publishAt is not null && status == PostStatus.Draft)
        {
            problems.Add("publishAt", "only applies to published posts; leave it out for a draft.");
        }
        else if (publishAt is { } at && at > now)
        {
            status = PostStatus.Scheduled;
        }

        errors = problems.ToDictionary();
        if (errors.Count > 0 || url is null || title is null || tags is null)
        {
            return null;
        }

        return new PostContent(url, title, commentary, tags, via, status, publishAt);
    }

    /// <summary>The problem with <paramref name="value"/> as an absolute http(s) URL, or null when it is one.</summary>
    public static string? UrlProblem(string value)
    {
        if (value.Length > MaxUrlLength)
        {
            return $"must be at most {MaxUrlLength} characters.";
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "must not contain spaces or control characters.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute http or https URL.";
        }

        return null;
    }

    private static string? CheckUrl(string? value, string field, bool required, ProblemList problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                problems.Add(field, "is required.");
            }

            return null;
        }

        if (UrlProblem(value) is { } problem)
        {
            problems.Add(field, problem);
            return null;
        }

        return value;
    }

    private static string? CheckText(string? value, string field, int maxLength, bool required, bool multiLine, ProblemList problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems.Add(field, "is required.");
            }

            return value is null ? null : string.Empty;
        }

        if (value.Length > maxLength)
        {
            problems.Add(field, $"must be at most {maxLength} characters (got {value.Length}).");
            return null;
        }

        if (TextRules.Problem(value, allowLineBreaks: multiLine) is { } problem)
        {
            problems.Add(field, problem);
            return null;
        }

        return value;
    }

    private static List<Tag>? CheckTags(IReadOnlyList<string?>? names, ProblemList problems) =>
        names is null ? [] : TagRules.Check(names, "tags", problems);
}

/// <summary>What makes a tag name acceptable, and its slug.</summary>
public static class TagRules
{
    public const int MaxNameLength = 100;

    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must not be empty.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"must be at most {MaxNameLength} characters.";
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
    /// acceptable are dropped rather than refused, repeats are dropped, and no more than <see cref="PostRules.MaxTags"/> are kept.
    /// </summary>
    public static List<Tag> Acceptable(IEnumerable<string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var tags = new List<Tag>();
        foreach (var name in names)
        {
            if (tags.Count == PostRules.MaxTags)
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
        if (names.Count > PostRules.MaxTags)
        {
            problems.Add(field, $"must hold at most {PostRules.MaxTags} tags (got {names.Count}).");
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

/// <summary>Validation problems keyed by field, in the shape of RFC 9457 <c>errors</c>.</summary>
public sealed class ProblemList
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }

        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
