namespace Feeds.Contracts.Posts;

/// <summary>
/// The body of <c>PATCH /api/posts/{id}</c>: the fields of a post, each optional. A field left out keeps its value,
/// null removes it (so <c>url</c> and <c>title</c>, which a post needs, cannot be null), and <c>via</c> is merged member by member.
/// </summary>
public sealed class PostPatch : MergePatch
{
    public string? Url { get; set => field = Given(value); }
    public string? Title { get; set => field = Given(value); }
    public string? Commentary { get; set => field = Given(value); }
    public IReadOnlyList<string?>? Tags { get; set => field = Given(value); }
    public ViaPatch? Via { get; set => field = Given(value); }

    /// <summary><c>draft</c> or <c>published</c>; null means published.</summary>
    public string? Status { get; set => field = Given(value); }

    public DateTimeOffset? PublishAt { get; set => field = Given(value); }

    /// <summary>The post as a request body after this patch, to be validated as a whole.</summary>
    public PostInput ApplyTo(PostInput post) => post with
    {
        Url = Merge(nameof(Url), Url, post.Url),
        Title = Merge(nameof(Title), Title, post.Title),
        Commentary = Merge(nameof(Commentary), Commentary, post.Commentary),
        Tags = Merge(nameof(Tags), Tags, post.Tags),
        Via = Merge(nameof(Via), Via?.ApplyTo(post.Via), post.Via),
        Status = Merge(nameof(Status), Status, post.Status),
        PublishAt = Merge(nameof(PublishAt), PublishAt, post.PublishAt),
    };
}
