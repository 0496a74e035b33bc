using Feeds.Contracts.Posts;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// One post to import, as the batch endpoint takes it: the post's fields, the times it keeps, the key that makes
/// importing it a second time a no-op, and, for a post from a Feeds export, the id and slug it had there.
/// <see cref="Position"/> is where it was in the file (1 = first), for messages.
/// </summary>
internal sealed record ImportItem
{
    public required int Position { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public string? Commentary { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? ViaUrl { get; init; }
    public string? ViaTitle { get; init; }

    /// <summary><c>published</c> or <c>draft</c>; a future <see cref="PublishAt"/> makes a published post a scheduled one.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? PublishAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public required string ImportKey { get; init; }

    /// <summary>The post's id on the Feeds site it was exported from: its feed entry id is made from it.</summary>
    public Guid? Id { get; init; }

    /// <summary>The post's slug there: its permalink ends with it.</summary>
    public string? Slug { get; init; }

    /// <summary>When the item happened, for importing oldest first (so "title-2" goes to the later of two namesakes).</summary>
    public DateTimeOffset? Time => PublishedAt ?? PublishAt ?? CreatedAt;

    /// <summary>The item as the batch endpoint takes it.</summary>
    public PostBatchItem ToBatchItem() => new()
    {
        Id = Id,
        Slug = Slug,
        Url = Url,
        Title = Title,
        Commentary = string.IsNullOrEmpty(Commentary) ? null : Commentary,
        Tags = Tags,
        Via = ViaUrl is null ? null : new ViaInput(ViaUrl, ViaTitle),
        Status = Status,
        PublishAt = PublishAt?.ToUniversalTime(),
        CreatedAt = CreatedAt?.ToUniversalTime(),
        PublishedAt = PublishedAt?.ToUniversalTime(),
        UpdatedAt = UpdatedAt?.ToUniversalTime(),
        ImportKey = ImportKey,
    };
}

/// <summary>A bookmark as Netscape HTML and Pinboard JSON files describe one, before it is made into a post.</summary>
internal sealed record Bookmark(
    int Position,
    string Url,
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    DateTimeOffset? Added,
    DateTimeOffset? Modified,
    bool Private,
    bool ToRead);

/// <summary>
/// A bookmark found in a file: its link and date, which order an import and find links filed twice, and
/// <see cref="Read"/> for the rest, which a large file's import reads only when it reaches the bookmark.
/// </summary>
internal sealed record FoundBookmark(int Position, string Url, DateTimeOffset? Added, Func<Bookmark> Read);
