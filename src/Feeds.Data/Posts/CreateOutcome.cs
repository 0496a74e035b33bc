using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

/// <param name="OtherPostsOfLink">
/// The other live posts of the post's link, newest first, read in the same transaction: authors link twice on purpose,
/// so a link posted before is no error, and the answer names the earlier posts.
/// </param>
public sealed record CreateOutcome(Post? Post, CreateOutcomeKind Kind, IReadOnlyList<Post> OtherPostsOfLink);

public enum CreateOutcomeKind
{
    Created,
    Replayed,
    KeyReusedWithDifferentRequest,
}
