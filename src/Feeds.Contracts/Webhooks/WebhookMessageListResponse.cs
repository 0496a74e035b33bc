namespace Feeds.Contracts.Webhooks;

/// <summary>A page of messages, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record WebhookMessageListResponse(IReadOnlyList<WebhookMessageResponse> Items, string? Next);
