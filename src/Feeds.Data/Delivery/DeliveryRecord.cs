namespace Feeds.Data.Delivery;

/// <summary>What an attempt means for its delivery.</summary>
public enum DeliveryOutcome
{
    Delivered,
    Retry,
    Failed,
}

/// <summary>One attempt and what follows from it, stored in one go.</summary>
/// <param name="Revision">The revision of the delivery that was attempted.</param>
/// <param name="NextAttemptAt">When to try again; only for <see cref="DeliveryOutcome.Retry"/>.</param>
public sealed record DeliveryRecord(DeliveryAttempt Attempt, long Revision, DeliveryOutcome Outcome, DateTimeOffset? NextAttemptAt);
