namespace Feeds.Data.Posts;

/// <summary>Takes back a batch whose given slugs are taken; never leaves <see cref="PostStore.ImportAsync"/>.</summary>
internal sealed class SlugsTakenException(IReadOnlyList<int> positions) : Exception("Slugs given for an import are taken.")
{
    public IReadOnlyList<int> Positions { get; } = positions;
}
