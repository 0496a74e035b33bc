using Feeds.Data.Delivery;

namespace Feeds.Data.Webhooks;

/// <summary>The events subscribers can ask for, as they appear in <c>type</c> and in endpoint subscriptions.</summary>
public static class WebhookEventTypes
{
    public const string PostPublished = "post.published";
    public const string PostUpdated = "post.updated";
    public const string PostDeleted = "post.deleted";

    /// <summary>Sent only by the ping endpoint; never subscribed to.</summary>
    public const string Ping = "webhook.ping";

    public static IReadOnlyList<string> Subscribable { get; } = [PostPublished, PostUpdated, PostDeleted];
}

/// <summary>Where a message is in its life: waiting for (another) attempt, delivered, or out of retries.</summary>
public static class WebhookMessageStatus
{
    public const string Pending = AttemptLog.Pending;
    public const string Delivered = AttemptLog.Delivered;
    public const string Failed = AttemptLog.Failed;

    public static bool IsKnown(string? status) => status is Pending or Delivered or Failed;
}

/// <summary>A subscriber: where to send, what to send, and whether sending is on. Secrets are never part of it.</summary>
public sealed record WebhookEndpoint(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> Tags,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A new endpoint; <see cref="Secret"/> is the encoded <c>whsec_…</c> text.</summary>
public sealed record NewWebhookEndpoint(string Url, IReadOnlyList<string> Events, IReadOnlyList<string> Tags, string Secret);

/// <summary>Changes to an endpoint; null leaves a field as it is.</summary>
public sealed record WebhookEndpointChange(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? Tags, bool? Enabled);

/// <summary>The secrets that sign an endpoint's deliveries right now: the current one, and the previous one during a rotation.</summary>
public sealed record WebhookTarget(Guid EndpointId, string Url, bool Enabled, string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretExpiresAt)
{
    public IEnumerable<string> LiveSecrets(DateTimeOffset now)
    {
        yield return Secret;
        if (PreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return PreviousSecret;
        }
    }
}

/// <summary>One event to fan out to the endpoints subscribed to it.</summary>
/// <param name="TagSlugs">The tags the event concerns; endpoints filtering by tag match when they share one.</param>
/// <param name="RenderBody">
/// Renders the exact JSON that will be signed and sent, identical for every endpoint; called only when an endpoint
/// subscribes to the event, so a site without webhooks renders no payloads.
/// </param>
public sealed record OutboxEvent(string Type, Guid? PostId, IReadOnlyList<string> TagSlugs, Func<string> RenderBody, DateTimeOffset CreatedAt);

/// <summary>A message whose time has come, with everything needed to sign and send it.</summary>
public sealed record DueMessage(string Id, string Body, int RetryStep, WebhookTarget Target);

/// <summary>A message as the API lists it.</summary>
public sealed record WebhookMessage(
    string Id,
    Guid EndpointId,
    string EventType,
    Guid? PostId,
    string Body,
    string Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt);

/// <summary>One delivery attempt as logged.</summary>
public sealed record WebhookAttempt(
    Guid Id,
    string MessageId,
    Guid EndpointId,
    DateTimeOffset AttemptedAt,
    int DurationMs,
    int? StatusCode,
    string? ErrorClass,
    string? Error,
    string? ResponseExcerpt);

/// <summary>
/// The result of one attempt and what follows from it, decided by the dispatcher and stored in one go:
/// the attempt row, the message's new state and, for failures, the endpoint's failure bookkeeping.
/// </summary>
/// <param name="NextAttemptAt">When to try again; only for <see cref="DeliveryOutcome.Retry"/>.</param>
/// <param name="DisableReason">Disables the endpoint at once (a 410 Gone).</param>
public sealed record AttemptRecord(
    WebhookAttempt Attempt,
    DeliveryOutcome Outcome,
    DateTimeOffset? NextAttemptAt,
    string? DisableReason = null);
