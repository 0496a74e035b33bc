namespace Feeds.Core.Posts;

/// <summary>
/// The times an imported post brings from wherever it was first saved. An ordinary write takes its times from the
/// clock; an import keeps the originals, so a bookmark saved in 2009 stays a post from 2009 in every list and feed.
/// </summary>
/// <param name="CreatedAt">When the post (or bookmark) was first saved; defaults to now.</param>
/// <param name="PublishedAt">When it was first published, whatever its status is now; a published post without one
/// counts as published when it was created.</param>
/// <param name="UpdatedAt">Its last substantive edit; defaults to the later of the other two.</param>
public sealed record PostHistory(DateTimeOffset? CreatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? UpdatedAt)
{
    /// <summary>
    /// Checks the times given for <paramref name="content"/>: none may lie in the future, and a published post names
    /// its first publication once, by <c>publishAt</c> or by <c>publishedAt</c>. Returns null when no time is given.
    /// </summary>
    public static PostHistory? Validate(
        DateTimeOffset? createdAt, DateTimeOffset? publishedAt, DateTimeOffset? updatedAt, PostContent? content, DateTimeOffset now,
        out Dictionary<string, string[]> errors)
    {
        var problems = new ProblemList();
        CheckPast(createdAt, "createdAt", now, problems);
        CheckPast(publishedAt, "publishedAt", now, problems);
        CheckPast(updatedAt, "updatedAt", now, problems);
        if (publishedAt is not null && content is { Status: PostStatus.Published, PublishAt: not null })
        {
            problems.Add("publishedAt", "leave it out when publishAt gives the publication time of a published post.");
        }

        errors = problems.ToDictionary();
        if (errors.Count > 0 || (createdAt is null && publishedAt is null && updatedAt is null))
        {
            return null;
        }

        return new PostHistory(createdAt?.ToUniversalTime(), publishedAt?.ToUniversalTime(), updatedAt?.ToUniversalTime());
    }

    private static void CheckPast(DateTimeOffset? value, string field, DateTimeOffset now, ProblemList problems)
    {
        if (value > now)
        {
            problems.Add(field, "must not be in the future.");
        }
    }
}
