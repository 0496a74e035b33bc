namespace Feeds.Data.Posts;

/// <summary>Which drafts the queue shows: all, the author's own (no source), or one source's.</summary>
public sealed record DraftFilter(long? SourceId = null, bool OwnOnly = false)
{
    public static DraftFilter All { get; } = new();
}

/// <summary>
/// A draft as the queue shows it, with what its source said of the item (a one-line excerpt) when it came from one; its
/// tags and rendered commentary are for the editor, which reads the whole post.
/// </summary>
public sealed record QueuedDraft(Guid Id, string Url, string Title, string Commentary, DateTimeOffset CreatedAt, long? SourceId, string? Summary);

/// <summary>A page of the drafts queue, newest first, and where the next one starts.</summary>
public sealed record DraftPage(IReadOnlyList<QueuedDraft> Drafts, PostCursor? Next);

/// <summary>How many drafts wait from one source (null: the author's own), and its name (null when it was removed).</summary>
public sealed record DraftCount
{
    public long? SourceId { get; init; }
    public long Count { get; init; }
    public string? SourceName { get; init; }
}
