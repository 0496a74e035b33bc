using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>Which drafts the queue shows: all, the author's own (no source), or one source's.</summary>
public sealed record DraftFilter(long? SourceId = null, bool OwnOnly = false)
{
    public static DraftFilter All { get; } = new();
}

/// <summary>A draft in the queue with what its source said of the item (a one-line excerpt), when it came from one.</summary>
public sealed record QueuedDraft(Post Post, string? Summary);

/// <summary>A page of the drafts queue, newest first, and where the next one starts.</summary>
public sealed record DraftPage(IReadOnlyList<QueuedDraft> Drafts, PostCursor? Next);

/// <summary>
/// How many drafts wait from one source (null: the author's own). Members, not a constructor: with no drafts at all
/// SQLite reports the count column's type as a blob, which Dapper cannot match to a constructor parameter.
/// </summary>
public sealed record DraftCount
{
    public long? SourceId { get; init; }
    public long Count { get; init; }
}
