namespace Feeds.Contracts.Sources;

/// <summary>
/// The body of <c>PATCH /api/sources/{id}</c>: the fields of <see cref="SourceInput"/>, each optional. A field left out
/// keeps its value; null returns it to its default (the feed's own title, no tags, drafts, the default interval).
/// </summary>
public sealed class SourcePatch : MergePatch
{
    public string? Url { get; set => field = Given(value); }
    public string? Title { get; set => field = Given(value); }
    public IReadOnlyList<string?>? Tags { get; set => field = Given(value); }
    public string? Mode { get; set => field = Given(value); }
    public int? IntervalMinutes { get; set => field = Given(value); }
    public bool? Backfill { get; set => field = Given(value); }

    public SourceInput ApplyTo(SourceInput source) => new(
        Merge(nameof(Url), Url, source.Url),
        Merge(nameof(Title), Title, source.Title),
        Merge(nameof(Tags), Tags, source.Tags),
        Merge(nameof(Mode), Mode, source.Mode),
        Merge(nameof(IntervalMinutes), IntervalMinutes, source.IntervalMinutes),
        Merge(nameof(Backfill), Backfill, source.Backfill));
}
