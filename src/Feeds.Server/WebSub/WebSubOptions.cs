using System.ComponentModel.DataAnnotations;
using Feeds.Outbound;
using Feeds.Server.Delivery;

namespace Feeds.Server.WebSub;

/// <summary>WebSub, both ways, section <c>Feeds:WebSub</c> (environment variables <c>Feeds__WebSub__Key</c>).</summary>
public sealed class WebSubOptions : IValidatableObject
{
    public const string Section = "Feeds:WebSub";

    /// <summary>The hub the feeds advertise: empty for the built-in hub at <c>/websub</c>, else an external hub's URL, pinged on every change.</summary>
    public string? Hub { get; set; }

    /// <summary>Also reach callbacks and hubs on loopback and private networks (self-hosting, tests); and subscribe sources with a private <c>BaseUrl</c>.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The ports callback and hub URLs may name, comma-separated ports and ranges.</summary>
    public string AllowedPorts { get; set; } = OutboundPorts.DefaultList;

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

    /// <summary>Delay before each distribution attempt, comma-separated; its length is the number of attempts.</summary>
    [Required]
    public string RetrySchedule { get; set; } = "0s, 10s, 1m, 5m, 30m, 2h, 6h, 12h, 24h";

    [Range(0.0, 0.9)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>One whole request to a callback or hub (verification, distribution, ping).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Verifications of intent under way at once.</summary>
    [Range(1, 256)]
    public int ConcurrentVerifications { get; set; } = 16;

    /// <summary>While a source is pushed, it is still polled this often, in case a push was lost.</summary>
    [Range(1, 7 * 24 * 60)]
    public int PushedSourcePollMinutes { get; set; } = 24 * 60;

    /// <summary>The lease a source asks its upstream hub for.</summary>
    [Range(60, 365 * 24 * 3600)]
    public int SourceLeaseSeconds { get; set; } = 10 * 24 * 3600;

    /// <summary>The parsed <see cref="RetrySchedule"/>.</summary>
    public IReadOnlyList<TimeSpan> Schedule => Delivery.RetrySchedule.Parse(RetrySchedule, out _) ?? [];

    /// <summary>The external hub, or null for the built-in one.</summary>
    public Uri? ExternalHub => string.IsNullOrWhiteSpace(Hub) ? null : new Uri(Hub);

    /// <summary>Settings for the outbound client every verification, distribution and ping goes through.</summary>
    public OutboundOptions ToOutboundOptions(int maxConnectionsPerServer) => new()
    {
        AllowPrivateNetworks = AllowPrivateNetworks,
        AllowedPorts = OutboundPorts.Parse(AllowedPorts),
        ConnectTimeout = ConnectTimeout,
        RequestTimeout = Timeout,
        MaxConnectionsPerServer = maxConnectionsPerServer,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Hub)
            && (!Uri.TryCreate(Hub, UriKind.Absolute, out var hub) || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"{Section}:{nameof(Hub)} must be empty (the built-in hub) or an absolute http(s) URL (got '{Hub}').", [nameof(Hub)]);
        }

        if (!OutboundPorts.TryParse(AllowedPorts, out _, out var portsProblem))
        {
            yield return new ValidationResult($"{Section}:{nameof(AllowedPorts)} {portsProblem}", [nameof(AllowedPorts)]);
        }

        if (Delivery.RetrySchedule.Parse(RetrySchedule, out var problem) is null)
        {
            yield return new ValidationResult($"{Section}:{nameof(RetrySchedule)} {problem}", [nameof(RetrySchedule)]);
        }

        if (MinLeaseSeconds > MaxLeaseSeconds || DefaultLeaseSeconds < MinLeaseSeconds || DefaultLeaseSeconds > MaxLeaseSeconds)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(DefaultLeaseSeconds)} must lie between {Section}:{nameof(MinLeaseSeconds)} and {Section}:{nameof(MaxLeaseSeconds)}.",
                [nameof(DefaultLeaseSeconds)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectTimeout)} ({ConnectTimeout}) must not exceed {Section}:{nameof(Timeout)} ({Timeout}).", [nameof(ConnectTimeout)]);
        }
    }
}
