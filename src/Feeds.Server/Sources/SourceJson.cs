using Feeds.Core.Sources;
using Feeds.Data.Sources;

namespace Feeds.Server.Sources;

/// <summary>
/// The body of <c>POST /api/sources</c>, and what a <c>PATCH</c> merge patch applies to. Only <see cref="Url"/> is
/// required: no title means the feed's own, no mode means drafts, no interval means the configured default.
/// </summary>
public sealed record SourceInput(string? Url, string? Title, IReadOnlyList<string?>? Tags, string? Mode, int? IntervalMinutes, bool? Backfill);

/// <summary>A source as the API returns it; <see cref="Tags"/> are slugs.</summary>
public sealed record SourceResponse(
    long Id,
    string Url,
    string? SiteUrl,
    string Title,
    IReadOnlyList<string> Tags,
    string Mode,
    int IntervalMinutes,
    bool Backfill,
    DateTime CreatedAt,
    SourceFetchResponse Fetch)
{
    public static SourceResponse From(Source source) => new(
        source.Id,
        source.Url,
        source.SiteUrl,
        source.DisplayTitle,
        [.. source.Tags.Select(t => t.Slug)],
        source.Mode.ToName(),
        source.IntervalMinutes,
        source.Backfill,
        source.CreatedAt.UtcDateTime,
        SourceFetchResponse.From(source.Fetch));

    /// <summary>The source as a request body that would recreate it: the base a merge patch applies to.</summary>
    public static SourceInput ToInput(Source source) => new(
        source.Url,
        source.Title,
        [.. source.Tags.Select(t => t.Name)],
        source.Mode.ToName(),
        source.IntervalMinutes,
        source.Backfill);
}

/// <summary>How polling a source goes. <see cref="LastError"/> says in words what went wrong last, until a poll succeeds.</summary>
public sealed record SourceFetchResponse(
    int? LastStatus,
    DateTime? LastCheckedAt,
    DateTime? LastSuccessAt,
    DateTime? NextCheckAt,
    int ErrorCount,
    string? LastError,
    bool Stopped)
{
    public static SourceFetchResponse From(SourceFetchState fetch) => new(
        fetch.LastStatus,
        fetch.LastCheckedAt?.UtcDateTime,
        fetch.LastSuccessAt?.UtcDateTime,
        fetch.NextCheckAt?.UtcDateTime,
        fetch.ErrorCount,
        fetch.LastError,
        fetch.Stopped);
}

public sealed record SourceListResponse(IReadOnlyList<SourceResponse> Items);

/// <summary>The answer of <c>POST /api/sources/{id}/refresh</c>: how the poll went, and the source after it.</summary>
public sealed record RefreshResponse(string Status, int? HttpStatus, int NewPosts, int UpdatedPosts, string? Error, SourceResponse Source)
{
    public static RefreshResponse From(PollResult result, Source source) => new(
        result.Status switch
        {
            PollStatus.Ok => "ok",
            PollStatus.NotModified => "not-modified",
            PollStatus.Gone => "gone",
            _ => "error",
        },
        result.HttpStatus,
        result.NewPosts,
        result.UpdatedPosts,
        result.Error,
        SourceResponse.From(source));
}

/// <summary>The answer of an OPML import. <see cref="Errors"/> maps each refused feed URL to the reason.</summary>
public sealed record ImportResponse(int Created, int Skipped, IReadOnlyDictionary<string, string> Errors);
