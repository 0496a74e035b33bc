namespace Feeds.Contracts.Webhooks;

/// <summary>Every endpoint.</summary>
public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);
