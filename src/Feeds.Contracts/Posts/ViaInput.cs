namespace Feeds.Contracts.Posts;

/// <summary>The page a post was found through, as submitted.</summary>
public sealed record ViaInput(string? Url, string? Title);
