namespace Feeds.Data.Delivery;

/// <summary>One attempt as logged.</summary>
public sealed record DeliveryAttempt(
    Guid Id,
    string DeliveryId,
    string Kind,
    string Destination,
    DateTimeOffset AttemptedAt,
    int DurationMs,
    int? StatusCode,
    string? ErrorClass,
    string? Error,
    string? ResponseExcerpt);
