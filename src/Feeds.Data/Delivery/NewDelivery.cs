namespace Feeds.Data.Delivery;

/// <summary>A delivery to queue in the outbox.</summary>
/// <param name="Kind">Which sender takes it (<c>websub</c>, …); the loop hands it to the sender of its kind.</param>
/// <param name="Destination">What the per-destination limit counts by: one subscription, one inbox.</param>
/// <param name="CoalesceKey">
/// Null for a delivery of its own. Deliveries with one key are one: queuing again while one is pending only marks it
/// as carrying newer content (its retry schedule stays), and after it was delivered or given up makes it pending anew.
/// </param>
/// <param name="Payload">What its sender needs besides the destination; kinds that read the current state when sending leave it empty.</param>
public sealed record NewDelivery(string Kind, string Destination, string? CoalesceKey, string Payload);
