namespace Feeds.Contracts.Webhooks;

/// <summary>The ping's message id and how its one attempt went.</summary>
public sealed record PingResponse(string MessageId, bool Delivered, WebhookAttemptResponse Attempt);
