namespace Feeds.Contracts.Posts;

/// <summary>A post as the API returns it.</summary>
public sealed record PostResponse(
    Guid Id,
    string Slug,
    string Url,
    string Title,
    string Commentary,
    string CommentaryHtml,
    IReadOnlyList<string> Tags,
    ViaResponse? Via,
    string Status,
    DateTime CreatedAt,
    DateTime? PublishedAt,
    DateTime? PublishAt,
    DateTime UpdatedAt,
    string Permalink);
