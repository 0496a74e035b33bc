namespace Feeds.Contracts.Sources;

/// <summary>
/// The body of <c>POST /api/sources</c>, and what a <c>PATCH</c> merge patch applies to. Only <see cref="Url"/> is
/// required: no title means the feed's own, no mode means drafts, no interval means the configured default, adapted
/// to the feed.
/// </summary>
public sealed record SourceInput(string? Url, string? Title, IReadOnlyList<string?>? Tags, string? Mode, int? IntervalMinutes, bool? Backfill);
