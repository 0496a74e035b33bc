namespace Feeds.Contracts.Webhooks;

/// <summary>One delivery attempt of a message.</summary>
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
}
