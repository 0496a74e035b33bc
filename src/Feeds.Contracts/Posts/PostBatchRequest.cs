namespace Feeds.Contracts.Posts;

/// <summary>The body of <c>POST /api/posts/batch</c>.</summary>
public sealed record PostBatchRequest(IReadOnlyList<PostBatchItem?>? Items);
