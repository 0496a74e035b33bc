namespace Feeds.Data.Delivery;

/// <summary>A pending delivery whose time has come.</summary>
/// <param name="Revision">Counts the times it was queued; a result stored for an older revision leaves the newer content pending.</param>
/// <param name="RetryStep">How far along the retry schedule it is.</param>
public sealed record DueDelivery(string Id, string Kind, string Destination, string Payload, long Revision, int RetryStep);
