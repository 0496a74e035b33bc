using System.Diagnostics.CodeAnalysis;
using System.Globalization;
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

    public int Limit { get; init; } = 50;

    public PostCursor? After { get; init; }
}

public sealed record PostPage(IReadOnlyList<Post> Posts, PostCursor? Next);

/// <summary>A keyset position: the sort time and id of the last post of the previous page, opaque to clients.</summary>
public sealed record PostCursor(DateTimeOffset SortAt, Guid Id)
{
    public string Encode() => KeysetCursor.Encode(SortAt.UtcTicks.ToString(CultureInfo.InvariantCulture), Id.ToString("N"));

    public static bool TryDecode(string? text, [NotNullWhen(true)] out PostCursor? cursor)
    {
        cursor = null;
        if (KeysetCursor.TryDecode(text, 2, out var parts)
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && Guid.TryParseExact(parts[1], "N", out var id))
        {
            cursor = new PostCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        return cursor is not null;
    }
}
