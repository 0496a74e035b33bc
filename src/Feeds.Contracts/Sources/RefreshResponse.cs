namespace Feeds.Contracts.Sources;

/// <summary>The answer of <c>POST /api/sources/{id}/refresh</c>: how the poll went, and the source after it.</summary>
public sealed record RefreshResponse(string Status, int? HttpStatus, int NewPosts, int UpdatedPosts, string? Error, SourceResponse Source);
