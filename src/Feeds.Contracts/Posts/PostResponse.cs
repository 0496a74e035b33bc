using System.Text.Json.Serialization;

namespace Feeds.Contracts.Posts;

/// <summary>A post as the API returns it.</summary>
/// <param name="EarlierPosts">
/// In the answer to a create only: the other live posts of the same link in normal form (scheme and host case, default
/// port, fragment and <c>utm_*</c> parameters aside), newest first; empty for a link not posted before.
/// </param>
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
    string Permalink,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EarlierPostResponse>? EarlierPosts = null);
