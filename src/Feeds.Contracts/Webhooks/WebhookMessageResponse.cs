using System.Text.Json;

namespace Feeds.Contracts.Webhooks;

/// <summary>A message of an endpoint's outbox, with the payload it delivers.</summary>
public sealed record WebhookMessageResponse(
    string Id,
    string Type,
    Guid? PostId,
    string Status,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime? LastAttemptAt,
    DateTime? DeliveredAt,
    DateTime CreatedAt,
    JsonElement Payload);
