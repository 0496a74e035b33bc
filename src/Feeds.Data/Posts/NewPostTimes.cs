using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>A new post's status and times: from the clock for an ordinary create, from its history for an import.</summary>
internal readonly record struct NewPostTimes(
    PostStatus Status, DateTimeOffset? PublishAt, DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static NewPostTimes For(PostContent content, PostHistory? history, DateTimeOffset now)
    {
        var created = history?.CreatedAt ?? now;
        var state = PublicationState.For(content, previous: null, now);
        var publishedAt = history is null
            ? state.PublishedAt
            : state.Status == PostStatus.Published
                ? content.PublishAt ?? history.PublishedAt ?? history.CreatedAt ?? now
                : history.PublishedAt;
        var updated = history is null ? now : history.UpdatedAt ?? Later(created, publishedAt);
        return new(state.Status, state.PublishAt, publishedAt, created, updated);
    }

    private static DateTimeOffset Later(DateTimeOffset created, DateTimeOffset? published) =>
        published is { } at && at > created ? at : created;
}
