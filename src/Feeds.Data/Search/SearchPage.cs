using Feeds.Core.Posts;

namespace Feeds.Data.Search;

/// <summary>A page of search results, best first; <see cref="Next"/> is null on the last page.</summary>
public sealed record SearchPage(IReadOnlyList<Post> Posts, SearchCursor? Next)
{
    public static SearchPage Empty { get; } = new([], null);
}

/// <summary>A tag among a search's results, with how many of them carry it.</summary>
public sealed record TagCount(string Slug, string Name, long Count);
