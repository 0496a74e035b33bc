namespace Feeds.Contracts.Posts;

/// <summary>A page of posts, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record PostListResponse(IReadOnlyList<PostResponse> Items, string? Next);
