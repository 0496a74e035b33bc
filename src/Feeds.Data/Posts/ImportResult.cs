namespace Feeds.Data.Posts;

/// <summary>
/// What an import batch did: each post's outcome, in order; or, when slugs the batch brings are other posts' already,
/// the positions of the posts that bring them, and nothing stored.
/// </summary>
public sealed record ImportResult(IReadOnlyList<ImportOutcome> Outcomes, IReadOnlyList<int> TakenSlugs);

/// <summary>What became of one imported post: stored now, or already there from an earlier import.</summary>
public sealed record ImportOutcome(Guid Id, bool Created);
