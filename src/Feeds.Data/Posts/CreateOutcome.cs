using Feeds.Core.Posts;

namespace Feeds.Data.Posts;

public sealed record CreateOutcome(Post? Post, CreateOutcomeKind Kind);

public enum CreateOutcomeKind
{
    Created,
    Replayed,
    KeyReusedWithDifferentRequest,
}
