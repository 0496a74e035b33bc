using System.ComponentModel.DataAnnotations;

namespace Feeds.Server.Delivery;

/// <summary>The shared outbox's dispatcher, section <c>Feeds:Delivery</c> (environment variables <c>Feeds__Delivery__Key</c>).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Feeds:Delivery";

    /// <summary>Attempts in flight across all destinations. Hanging destinations hold slots until they time out, so keep it well above the per-destination limit.</summary>
    [Range(1, 4096)]
    public int GlobalConcurrency { get; set; } = 256;

    /// <summary>Attempts in flight to one destination (one WebSub subscription).</summary>
    [Range(1, 64)]
    public int ConcurrencyPerDestination { get; set; } = 1;

    /// <summary>The safety net: how often the dispatcher looks for due deliveries when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    public DeliveryLimits Limits => new(GlobalConcurrency, ConcurrencyPerDestination, SweepInterval);
}
