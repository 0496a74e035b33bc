namespace Feeds.Contracts.Posts;

/// <summary>The page a post was found through.</summary>
public sealed record ViaResponse(string Url, string? Title);
