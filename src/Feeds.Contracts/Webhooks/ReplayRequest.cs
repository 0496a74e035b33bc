namespace Feeds.Contracts.Webhooks;

/// <summary>The body of <c>POST /api/webhooks/{id}/replay</c>: one message, or a time range of them.</summary>
public sealed record ReplayRequest(string? MessageId, DateTimeOffset? Since, DateTimeOffset? Until, string? Status);
