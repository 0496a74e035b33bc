namespace Feeds.Contracts.Tokens;

/// <summary>The body of <c>POST /api/tokens</c>: what the token is for.</summary>
public sealed record CreateTokenRequest(string? Name);
