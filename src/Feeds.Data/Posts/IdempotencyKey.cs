namespace Feeds.Data.Posts;

/// <summary>A client's key for a write and the hash of the request it came with, so a retry is told from a reuse.</summary>
public sealed record IdempotencyKey(string Key, string RequestHash);
