using System.Text.Json;
using Feeds.Data.Webhooks;

namespace Feeds.Server.Webhooks;

/// <summary>The body of <c>POST /api/webhooks</c>. No events means all of them; no tags means every post.</summary>
public sealed record WebhookInput(string? Url, IReadOnlyList<string?>? Events, IReadOnlyList<string?>? Tags);

/// <summary>The body of <c>PATCH /api/webhooks/{id}</c>: fields left out (or null) stay as they are.</summary>
public sealed record WebhookPatch(string? Url, IReadOnlyList<string?>? Events, IReadOnlyList<string?>? Tags, bool? Enabled);

/// <summary>The body of <c>POST /api/webhooks/{id}/replay</c>: one message, or a time range of them.</summary>
public sealed record ReplayRequest(string? MessageId, DateTimeOffset? Since, DateTimeOffset? Until, string? Status);

public sealed record ReplayResponse(int Replayed);

public sealed record WebhookResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> Tags,
    bool Enabled,
    string? DisabledReason,
    DateTime? DisabledAt,
    DateTime? FailingSince,
    DateTime? PreviousSecretExpiresAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static WebhookResponse From(WebhookEndpoint endpoint) => new(
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
}

/// <summary>An endpoint with its signing secret: returned on creation and rotation only, since secrets are never shown again.</summary>
public sealed record WebhookWithSecretResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> Tags,
    bool Enabled,
    DateTime? PreviousSecretExpiresAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Secret)
{
    public static WebhookWithSecretResponse From(WebhookEndpoint endpoint, string secret) => new(
        endpoint.Id,
        endpoint.Url,
        endpoint.Events,
        endpoint.Tags,
        endpoint.Enabled,
        endpoint.PreviousSecretExpiresAt?.UtcDateTime,
        endpoint.CreatedAt.UtcDateTime,
        endpoint.UpdatedAt.UtcDateTime,
        secret);
}

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);

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
    JsonElement Payload)
{
    public static WebhookMessageResponse From(WebhookMessage message)
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
}

public sealed record WebhookMessageListResponse(IReadOnlyList<WebhookMessageResponse> Items, string? Next);

public sealed record WebhookAttemptResponse(
    Guid Id,
    string MessageId,
    DateTime AttemptedAt,
    int DurationMs,
    int? StatusCode,
    string? ErrorClass,
    string? Error,
    string? ResponseExcerpt)
{
    public bool Succeeded => ErrorClass is null;

    public static WebhookAttemptResponse From(WebhookAttempt attempt) => new(
        attempt.Id,
        attempt.MessageId,
        attempt.AttemptedAt.UtcDateTime,
        attempt.DurationMs,
        attempt.StatusCode,
        attempt.ErrorClass,
        attempt.Error,
        attempt.ResponseExcerpt);
}

public sealed record WebhookAttemptListResponse(IReadOnlyList<WebhookAttemptResponse> Items, string? Next);

/// <summary>The ping's message id and how its one attempt went.</summary>
public sealed record PingResponse(string MessageId, bool Delivered, WebhookAttemptResponse Attempt);
