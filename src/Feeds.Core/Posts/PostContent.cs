namespace Feeds.Core.Posts;

/// <summary>A validated, normalised post body, ready to store.</summary>
public sealed record PostContent(
    string Url,
    string Title,
    string Commentary,
    IReadOnlyList<Tag> Tags,
    Via? Via,
    PostStatus Status,
    DateTimeOffset? PublishAt);
