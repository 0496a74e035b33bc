namespace Feeds.Contracts.Webhooks;

/// <summary>A page of attempts, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record WebhookAttemptListResponse(IReadOnlyList<WebhookAttemptResponse> Items, string? Next);
