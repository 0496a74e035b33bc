using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>A page request over posts, newest first.</summary>
public sealed record PostQuery
{
    public const int MaxLimit = 200;

    public string? TagSlug { get; init; }

    /// <summary>Tags a post must carry every one of (a tag combination such as <c>ai+llms</c>); empty for no such filter.</summary>
    public IReadOnlyList<string> AllTagSlugs { get; init; } = [];

    /// <summary>Statuses to include; empty means every status.</summary>
    public IReadOnlySet<PostStatus> Statuses { get; init; } = new HashSet<PostStatus>();

    public long? SourceId { get; init; }

    /// <summary>The site the posts link to (<see cref="Core.Links.LinkSites"/>); null for any.</summary>
    public string? Site { get; init; }

    /// <summary>The earliest time a post sorts by (its publication, for a published post), inclusive; null for no bound.</summary>
    public DateTimeOffset? SortFrom { get; init; }

    /// <summary>The time the posts sort before, exclusive; null for no bound.</summary>
    public DateTimeOffset? SortUntil { get; init; }

    public int Limit { get; init; } = 50;

    public PostCursor? After { get; init; }
}

public sealed record PostPage(IReadOnlyList<Post> Posts, PostCursor? Next);
