using Feeds.Core.Sources;
using Feeds.Data.Sources;

namespace Feeds.Server.Sources;

/// <summary>
/// The body of <c>POST /api/sources</c>, and what a <c>PATCH</c> merge patch applies to. Only <see cref="Url"/> is
/// required: no title means the feed's own, no mode means drafts, no interval means the configured default, adapted
/// to the feed.
/// </summary>
public sealed record SourceInput(string? Url, string? Title, IReadOnlyList<string?>? Tags, string? Mode, int? IntervalMinutes, bool? Backfill);

/// <summary>A source as the API returns it; <see cref="Tags"/> are slugs; <see cref="IntervalMinutes"/> is null when the author chose none.</summary>
public sealed record SourceResponse(
    long Id,
    string Url,
    string? SiteUrl,
    string Title,
    IReadOnlyList<string> Tags,
    string Mode,
    int? IntervalMinutes,
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
        source.IntervalChosen ? source.IntervalMinutes : null,
        source.Backfill,
        source.CreatedAt.UtcDateTime,
        SourceFetchResponse.From(source));

    /// <summary>The source as a request body that would recreate it: the base a merge patch applies to.</summary>
    public static SourceInput ToInput(Source source) => new(
        source.Url,
        source.Title,
        [.. source.Tags.Select(t => t.Name)],
        source.Mode.ToName(),
        source.IntervalChosen ? source.IntervalMinutes : null,
        source.Backfill);
}

/// <summary>
/// How polling a source goes. <see cref="LastError"/> says in words what went wrong last, until a poll succeeds;
/// <see cref="EffectiveIntervalMinutes"/> is the wait before <see cref="NextCheckAt"/> (before jitter) and
/// <see cref="IntervalReason"/> why it is that long. Both are null once polling has stopped.
/// </summary>
public sealed record SourceFetchResponse(
    int? LastStatus,
    DateTime? LastCheckedAt,
    DateTime? LastSuccessAt,
    DateTime? NextCheckAt,
    int? EffectiveIntervalMinutes,
    string? IntervalReason,
    int ErrorCount,
    string? LastError,
    bool Stopped)
{
    public static SourceFetchResponse From(Source source)
    {
        var fetch = source.Fetch;
        // A source not polled yet waits its own interval.
        (int? Minutes, string? Code) interval = fetch.Stopped
            ? (null, null)
            : (fetch.EffectiveIntervalMinutes ?? source.IntervalMinutes,
               fetch.IntervalReason ?? (source.IntervalChosen ? Sources.IntervalReason.Interval : Sources.IntervalReason.Default).Code);
        return new(
            fetch.LastStatus,
            fetch.LastCheckedAt?.UtcDateTime,
            fetch.LastSuccessAt?.UtcDateTime,
            fetch.NextCheckAt?.UtcDateTime,
            interval.Minutes,
            interval.Code is null ? null : Sources.IntervalReason.Describe(interval.Code, fetch.ErrorCount),
            fetch.ErrorCount,
            fetch.LastError,
            fetch.Stopped);
    }
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

/// <summary>
/// The answer of an OPML import. <see cref="Outlines"/> counts the outlines that name a feed; each is either created or
/// skipped, and every skipped one is in <see cref="NotImported"/> with the reason. <see cref="Errors"/> maps the URL of
/// each refused one (not http(s), a blocked address or port, a name that does not resolve) to the reason.
/// </summary>
public sealed record ImportResponse(int Outlines, int Created, int Skipped, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<NotImportedOutline> NotImported);

/// <summary>An outline an import left out: its place among the document's feed outlines (from 1), its URL as written, and why.</summary>
public sealed record NotImportedOutline(int Outline, string Url, string Reason);
