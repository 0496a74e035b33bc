using System.Text.Json.Serialization;

namespace Feeds.Contracts.Tags;

/// <summary>
/// A tag with its counts of live posts. Anonymous readers see only tags a published post carries, and only that count;
/// the counts of drafts and scheduled posts are for token holders (null, and left out, for everyone else).
/// </summary>
public sealed record TagResponse(
    string Slug,
    string Name,
    long PublishedCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DraftCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ScheduledCount = null);
