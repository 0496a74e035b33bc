using System.Text.Json;
using Feeds.Contracts.Webhooks;
using Feeds.Data.Webhooks;

namespace Feeds.Server.Webhooks;

/// <summary>Endpoints, messages and attempts in the API's terms.</summary>
public static class WebhookMapping
{
    public static WebhookResponse ToResponse(this WebhookEndpoint endpoint) => new(
        endpoint.Id,
        endpoint.Url,
        endpoint.Events,
        endpoint.Tags,
        endpoint.Enabled,
        endpoint.DisabledReason,
        endpoint.DisabledAt?.UtcDateTime,
        endpoint.FailingSince?.UtcDateTime,
        endpoint.PreviousSecretExpiresAt?.UtcDateTime,
        endpoint.CreatedAt.UtcDateTime,
        endpoint.UpdatedAt.UtcDateTime);

    public static WebhookWithSecretResponse ToResponse(this WebhookEndpoint endpoint, string secret) => new(
        endpoint.Id,
        endpoint.Url,
        endpoint.Events,
        endpoint.Tags,
        endpoint.Enabled,
        endpoint.PreviousSecretExpiresAt?.UtcDateTime,
        endpoint.CreatedAt.UtcDateTime,
        endpoint.UpdatedAt.UtcDateTime,
        secret);

    public static WebhookMessageResponse ToResponse(this WebhookMessage message)
    {
        using var payload = JsonDocument.Parse(message.Body);
        return new(
            message.Id,
            message.EventType,
            message.PostId,
            message.Status,
            message.AttemptCount,
            message.NextAttemptAt?.UtcDateTime,
            message.LastAttemptAt?.UtcDateTime,
            message.DeliveredAt?.UtcDateTime,
            message.CreatedAt.UtcDateTime,
            payload.RootElement.Clone());
    }

    public static WebhookAttemptResponse ToResponse(this WebhookAttempt attempt) => new(
        attempt.Id,
        attempt.MessageId,
        attempt.AttemptedAt.UtcDateTime,
        attempt.DurationMs,
        attempt.StatusCode,
        attempt.ErrorClass,
        attempt.Error,
        attempt.ResponseExcerpt);
}
