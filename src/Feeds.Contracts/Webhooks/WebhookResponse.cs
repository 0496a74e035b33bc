namespace Feeds.Contracts.Webhooks;

/// <summary>An endpoint as the API returns it, without its signing secret.</summary>
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
    DateTime UpdatedAt);
