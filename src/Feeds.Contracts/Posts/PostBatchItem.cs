namespace Feeds.Contracts.Posts;

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

    /// <summary>The item's post fields, as a single post's body carries them.</summary>
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
