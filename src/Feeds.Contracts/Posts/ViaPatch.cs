namespace Feeds.Contracts.Posts;

/// <summary>A merge patch of the page a post was found through.</summary>
public sealed class ViaPatch : MergePatch
{
    public string? Url { get; set => field = Given(value); }
    public string? Title { get; set => field = Given(value); }

    public ViaInput ApplyTo(ViaInput? via) => new(Merge(nameof(Url), Url, via?.Url), Merge(nameof(Title), Title, via?.Title));
}
