using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>A post to import: validated content, the times it keeps, and the key that makes importing it again a no-op.</summary>
public sealed record NewPost(PostContent Content, PostHistory? History, IdempotencyKey? ImportKey)
{
    /// <summary>The id it had on the site it comes from, kept so its feed entry id stays the same; null for a new one.</summary>
    public Guid? Id { get; init; }

    /// <summary>
    /// The slug it had there (one <see cref="Contracts.Text.Slugs.IsPostSlug"/> accepts), kept as it is so its permalink
    /// stays the same; null to make one from the title.
    /// </summary>
    public string? Slug { get; init; }
}
