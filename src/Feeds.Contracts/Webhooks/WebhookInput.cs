namespace Feeds.Contracts.Webhooks;

/// <summary>The body of <c>POST /api/webhooks</c>. No events means all of them; no tags means every post.</summary>
public sealed record WebhookInput(string? Url, IReadOnlyList<string?>? Events, IReadOnlyList<string?>? Tags);
