namespace Feeds.Server.Delivery;

/// <summary>How many attempts a delivery loop runs at once, in all and to one destination, and how often it looks unprompted.</summary>
public sealed record DeliveryLimits(int GlobalConcurrency, int ConcurrencyPerDestination, TimeSpan SweepInterval);
