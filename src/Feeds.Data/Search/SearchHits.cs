namespace Feeds.Data.Search;

/// <summary>The ids of one page of a search's results, best first, and where the next page starts (null on the last).</summary>
public sealed record SearchHits(IReadOnlyList<Guid> Ids, SearchCursor? Next)
{
    public static SearchHits None { get; } = new([], null);
}
