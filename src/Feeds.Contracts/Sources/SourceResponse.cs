namespace Feeds.Contracts.Sources;

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
    SourceFetchResponse Fetch,
    SourcePushResponse Push);
