using Feeds.Contracts.Posts;
using Feeds.Core.Text;

namespace Feeds.Core.Posts;

/// <summary>A post checked against its <see cref="PostLimits"/> in one place for the API, the importer and the aggregator.</summary>
public static class PostRules
{
    /// <summary>
    /// Validates <paramref name="input"/>. Returns the normalised content, or null with every problem
    /// keyed by the JSON path of the field it concerns (<c>url</c>, <c>tags[2]</c>, <c>via.url</c>).
    /// </summary>
    public static PostContent? Validate(PostInput input, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        var problems = new ProblemList();

        var url = CheckUrl(input.Url, "url", required: true, problems);
        var title = CheckText(input.Title, "title", PostLimits.MaxTitleLength, required: true, multiLine: false, problems);
        var commentary = CheckText(input.Commentary, "commentary", PostLimits.MaxCommentaryLength, required: false, multiLine: true, problems) ?? string.Empty;
        var tags = CheckTags(input.Tags, problems);

        Via? via = null;
        if (input.Via is { } viaInput)
        {
            var viaUrl = CheckUrl(viaInput.Url, "via.url", required: true, problems);
            var viaTitle = CheckText(viaInput.Title, "via.title", PostLimits.MaxTitleLength, required: false, multiLine: false, problems);
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

        if (PostLimits.UrlProblem(value) is { } problem)
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
