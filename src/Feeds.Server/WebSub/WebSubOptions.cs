using System.ComponentModel.DataAnnotations;
using Feeds.Server.Delivery;

namespace Feeds.Server.WebSub;

/// <summary>
/// WebSub, both ways, section <c>Feeds:WebSub</c> (environment variables <c>Feeds__WebSub__Key</c>).
/// <see cref="OutboundDeliveryOptions.AllowPrivateNetworks"/> also lets sources with a private <c>BaseUrl</c> subscribe.
/// </summary>
public sealed class WebSubOptions() : OutboundDeliveryOptions("0s, 10s, 1m, 5m, 30m, 2h, 6h, 12h, 24h", TimeSpan.FromSeconds(15))
{
    public const string Section = "Feeds:WebSub";

    protected override string SectionName => Section;

    /// <summary>The hub the feeds advertise: empty for the built-in hub at <c>/websub</c>, else an external hub's URL, pinged on every change.</summary>
    public string? Hub { get; set; }

    /// <summary>The lease granted when a subscriber asks for none.</summary>
    [Range(1, 365 * 24 * 3600)]
    public int DefaultLeaseSeconds { get; set; } = 10 * 24 * 3600;

    /// <summary>The shortest lease granted: a shorter request gets this.</summary>
    [Range(1, 365 * 24 * 3600)]
    public int MinLeaseSeconds { get; set; } = 3600;

    /// <summary>The longest lease granted: a longer request gets this.</summary>
    [Range(1, 365 * 24 * 3600)]
    public int MaxLeaseSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>Subscription requests one callback host may make per minute; more are refused with 429.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinutePerCallbackHost { get; set; } = 60;

    /// <summary>Verifications of intent under way at once.</summary>
    [Range(1, 256)]
    public int ConcurrentVerifications { get; set; } = 16;

    /// <summary>While a source is pushed, it is still polled this often, in case a push was lost.</summary>
    [Range(1, 7 * 24 * 60)]
    public int PushedSourcePollMinutes { get; set; } = 24 * 60;

    /// <summary>The lease a source asks its upstream hub for.</summary>
    [Range(60, 365 * 24 * 3600)]
    public int SourceLeaseSeconds { get; set; } = 10 * 24 * 3600;

    /// <summary>The external hub, or null for the built-in one.</summary>
    public Uri? ExternalHub => string.IsNullOrWhiteSpace(Hub) ? null : new Uri(Hub);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (!string.IsNullOrWhiteSpace(Hub)
            && (!Uri.TryCreate(Hub, UriKind.Absolute, out var hub) || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"{Section}:{nameof(Hub)} must be empty (the built-in hub) or an absolute http(s) URL (got '{Hub}').", [nameof(Hub)]);
        }

        if (MinLeaseSeconds > MaxLeaseSeconds || DefaultLeaseSeconds < MinLeaseSeconds || DefaultLeaseSeconds > MaxLeaseSeconds)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(DefaultLeaseSeconds)} must lie between {Section}:{nameof(MinLeaseSeconds)} and {Section}:{nameof(MaxLeaseSeconds)}.",
                [nameof(DefaultLeaseSeconds)]);
        }
    }
}
