namespace Feeds.Contracts.Tokens;

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenResponse(Guid Id, string Name, DateTime CreatedAt, DateTime? RevokedAt);
