using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>How a write moves a post between draft, scheduled and published, keeping its first publication time.</summary>
internal readonly record struct PublicationState(PostStatus Status, DateTimeOffset? PublishAt, DateTimeOffset? PublishedAt)
{
    public static PublicationState For(PostContent content, Post? previous, DateTimeOffset now) => content.Status switch
    {
        PostStatus.Draft => new(PostStatus.Draft, null, previous?.PublishedAt),
        PostStatus.Scheduled => new(PostStatus.Scheduled, content.PublishAt, previous?.PublishedAt),
        _ => new(PostStatus.Published, null, content.PublishAt ?? previous?.PublishedAt ?? now),
    };
}
