namespace Feeds.Contracts.Posts;

/// <summary>A post as the author submits it, before validation. Every member may be missing or wrong.</summary>
public sealed record PostInput
{
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Commentary { get; init; }
    public IReadOnlyList<string?>? Tags { get; init; }
    public ViaInput? Via { get; init; }

    /// <summary><c>draft</c> or <c>published</c>; missing means published.</summary>
    public string? Status { get; init; }

    /// <summary>With status published: a future time schedules the post, a past one backdates it.</summary>
    public DateTimeOffset? PublishAt { get; init; }
}
