namespace Feeds.Core.Posts;

/// <summary>A link post: a link to somewhere else plus the author's own commentary and tags.</summary>
public sealed record Post
{
    public required Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Commentary { get; init; }
    public required string CommentaryHtml { get; init; }
    public required IReadOnlyList<Tag> Tags { get; init; }
    public Via? Via { get; init; }
    public required PostStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>First publication; null until the post has been published once.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When a scheduled post goes live; null unless <see cref="Status"/> is scheduled.</summary>
    public DateTimeOffset? PublishAt { get; init; }

    /// <summary>The upstream feed item this post was drafted from, if any.</summary>
    public long? SourceId { get; init; }

    /// <summary>The day the permalink is filed under: publication, else schedule, else creation.</summary>
    public DateTimeOffset PermalinkDate => PublishedAt ?? PublishAt ?? CreatedAt;

    /// <summary>Site-relative permalink, <c>/yyyy/mm/dd/slug</c>.</summary>
    public string PermalinkPath => Permalinks.PathFor(PermalinkDate, Slug);
}

public sealed record Tag(string Slug, string Name);

public sealed record Via(string Url, string? Title);

public enum PostStatus
{
    Draft,
    Scheduled,
    Published,
}
