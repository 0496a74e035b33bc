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

public static class Permalinks
{
    /// <summary><c>/yyyy/mm/dd/slug</c>, in UTC. Written digit by digit: a feed builds one per entry.</summary>
    public static string PathFor(DateTimeOffset date, string slug)
    {
        var utc = date.UtcDateTime;
        return string.Create(12 + slug.Length, (utc, slug), static (path, state) =>
        {
            var (day, slug) = state;
            path[0] = '/';
            WriteDigits(path.Slice(1, 4), day.Year);
            path[5] = '/';
            WriteDigits(path.Slice(6, 2), day.Month);
            path[8] = '/';
            WriteDigits(path.Slice(9, 2), day.Day);
            path[11] = '/';
            slug.CopyTo(path[12..]);
        });
    }

    /// <summary>Writes <paramref name="value"/> with leading zeros into all of <paramref name="destination"/>.</summary>
    internal static void WriteDigits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
