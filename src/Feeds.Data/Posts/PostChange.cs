using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <summary>One post as it was before and after a write; null on the side where it did not exist (or was deleted).</summary>
public sealed record PostChange(Post? Before, Post? After)
{
    /// <summary>The tags of both sides: every tag whose views this change can alter.</summary>
    public IEnumerable<string> AffectedTagSlugs =>
        (Before?.Tags ?? []).Concat(After?.Tags ?? []).Select(t => t.Slug).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// True for a post brought in by an import (<see cref="PostStore.ImportAsync"/>): history being filled in, not news.
    /// Feeds still show it; hooks that announce changes to the outside world leave it out.
    /// </summary>
    public bool Imported { get; init; }

    public bool WasPublished => Before is { Status: PostStatus.Published };

    public bool IsPublished => After is { Status: PostStatus.Published };
}
