using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Server.Hosting;

namespace Feeds.Server.Posts;

/// <summary>A post in the API's terms.</summary>
public static class PostMapping
{
    public static PostResponse ToResponse(this Post post, FeedsOptions site) => new(
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

    public static EarlierPostResponse ToEarlierResponse(this Post post, FeedsOptions site) =>
        new(post.Id, post.Url, post.Title, post.Status.ToName(), post.PermalinkDate.UtcDateTime, site.Absolute(post.PermalinkPath));

    /// <summary>The post as a request body that would recreate it: the base a merge patch applies to.</summary>
    public static PostInput ToInput(this Post post) => new()
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
