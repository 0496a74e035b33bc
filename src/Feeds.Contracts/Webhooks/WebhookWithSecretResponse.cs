namespace Feeds.Contracts.Webhooks;

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
    string Secret);
