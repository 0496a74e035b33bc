namespace Feeds.Contracts.Posts;

/// <summary>An item's post and whether it was <c>created</c> now or was <c>existing</c> from an earlier import.</summary>
public sealed record PostBatchResult(Guid Id, string Result);
