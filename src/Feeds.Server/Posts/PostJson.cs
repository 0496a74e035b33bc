using Feeds.Core.Posts;
using Feeds.Server.Hosting;

namespace Feeds.Server.Posts;

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
    string Permalink)
{
    public static PostResponse From(Post post, FeedsOptions site) => new(
        post.Id,
        post.Slug,
        post.Url,
        post.Title,
        post.Commentary,
        post.CommentaryHtml,
        [.. post.Tags.Select(t => t.Name)],
        post.Via is { } via ? new ViaResponse(via.Url, via.Title) : null,
        post.Status.ToName(),
        post.CreatedAt.UtcDateTime,
        post.PublishedAt?.UtcDateTime,
        post.PublishAt?.UtcDateTime,
        post.UpdatedAt.UtcDateTime,
        site.Absolute(post.PermalinkPath));

    /// <summary>The post as a request body that would recreate it: the base a merge patch applies to.</summary>
    public static PostInput ToInput(Post post) => new()
    {
        Url = post.Url,
        Title = post.Title,
        Commentary = post.Commentary,
        Tags = [.. post.Tags.Select(t => t.Name)],
        Via = post.Via is { } via ? new ViaInput(via.Url, via.Title) : null,
        Status = post.Status == PostStatus.Draft ? PostStatusNames.Draft : PostStatusNames.Published,
        PublishAt = post.PublishAt,
    };
}

public sealed record ViaResponse(string Url, string? Title);

public sealed record PostListResponse(IReadOnlyList<PostResponse> Items, string? Next);

/// <summary>The body of <c>POST /api/posts/batch</c>.</summary>
public sealed record PostBatchRequest(IReadOnlyList<PostBatchItem?>? Items);

/// <summary>
/// One post of an import batch: the fields of <see cref="PostInput"/>, the original times the post keeps, and an
/// import key that makes sending it again a no-op. A post moving from another Feeds site also brings its id and slug,
/// on which its feed entry id and its permalink rest, so neither changes with the move.
/// </summary>
public sealed record PostBatchItem
{
    public Guid? Id { get; init; }
    public string? Slug { get; init; }
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Commentary { get; init; }
    public IReadOnlyList<string?>? Tags { get; init; }
    public ViaInput? Via { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? ImportKey { get; init; }

    public PostInput ToInput() => new()
    {
        Url = Url,
        Title = Title,
        Commentary = Commentary,
        Tags = Tags,
        Via = Via,
        Status = Status,
        PublishAt = PublishAt,
    };
}

/// <summary>The answer to a batch, one result per item in order, and how many were stored now.</summary>
public sealed record PostBatchResponse(IReadOnlyList<PostBatchResult> Items, int Created, int Existing);

/// <summary>An item's post and whether it was <c>created</c> now or was <c>existing</c> from an earlier import.</summary>
public sealed record PostBatchResult(Guid Id, string Result);
