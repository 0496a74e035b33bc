namespace Feeds.Contracts.Tokens;

/// <summary>A new token; <see cref="Token"/> is shown this once and never stored.</summary>
public sealed record CreatedTokenResponse(Guid Id, string Name, string Token, DateTime CreatedAt);
