namespace Feeds.Contracts.Posts;

/// <summary>The answer to a batch, one result per item in order, and how many were stored now.</summary>
public sealed record PostBatchResponse(IReadOnlyList<PostBatchResult> Items, int Created, int Existing);
