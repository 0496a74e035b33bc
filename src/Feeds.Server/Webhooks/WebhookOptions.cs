using System.ComponentModel.DataAnnotations;
using Feeds.Outbound;
using Feeds.Server.Delivery;

namespace Feeds.Server.Webhooks;

/// <summary>Webhook delivery settings, section <c>Feeds:Webhooks</c> (environment variables <c>Feeds__Webhooks__Key</c>).</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Feeds:Webhooks";

    /// <summary>The Standard Webhooks schedule: the first attempt at once, then retries after these delays.</summary>
    public const string StandardSchedule = "0s, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h";

    /// <summary>Also deliver to loopback and private networks (self-hosting, tests). Link-local and metadata addresses stay closed.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The ports URLs may name, comma-separated ports and ranges (<c>{OutboundPorts.DefaultList}</c> by default); checked at registration and at every connect.</summary>
    public string AllowedPorts { get; set; } = OutboundPorts.DefaultList;

    /// <summary>Refuse plain http endpoints at registration and at delivery.</summary>
    public bool HttpsOnly { get; set; }

    /// <summary>Delay before each attempt, comma-separated (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>); its length is the number of attempts.</summary>
    [Required]
    public string RetrySchedule { get; set; } = StandardSchedule;

    /// <summary>Each delay is stretched or shrunk by a random fraction up to this, so retries of many messages spread out.</summary>
    [Range(0.0, 0.9)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The longest wait a <c>Retry-After</c> header may ask for.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint whose every attempt has failed for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "365.00:00:00")]
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    [Range(1, 64)]
    public int ConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>Deliveries in flight across all endpoints. Hanging endpoints hold slots until they time out, so keep it well above the per-endpoint limit.</summary>
    [Range(1, 1024)]
    public int GlobalConcurrency { get; set; } = 256;

    /// <summary>The whole attempt: connect, send, response headers and the (bounded) body.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The safety net: how often the dispatcher looks for due messages when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The parsed <see cref="RetrySchedule"/>.</summary>
    public IReadOnlyList<TimeSpan> Schedule => ParseSchedule(RetrySchedule, out _) ?? [];

    /// <summary>Settings for the outbound client stack that every delivery goes through.</summary>
    public OutboundOptions ToOutboundOptions() => new()
    {
        AllowPrivateNetworks = AllowPrivateNetworks,
        AllowedPorts = OutboundPorts.Parse(AllowedPorts),
        HttpsOnly = HttpsOnly,
        ConnectTimeout = ConnectTimeout,
        RequestTimeout = Timeout,
        // Many endpoints may live on one host; the per-endpoint and global limits are what bound connections.
        MaxConnectionsPerServer = GlobalConcurrency,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutboundPorts.TryParse(AllowedPorts, out _, out var portsProblem))
        {
            yield return new ValidationResult($"{Section}:{nameof(AllowedPorts)} {portsProblem}", [nameof(AllowedPorts)]);
        }

        if (ParseSchedule(RetrySchedule, out var problem) is null)
        {
            yield return new ValidationResult($"{Section}:{nameof(RetrySchedule)} {problem}", [nameof(RetrySchedule)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectTimeout)} ({ConnectTimeout}) must not exceed {Section}:{nameof(Timeout)} ({Timeout}).", [nameof(ConnectTimeout)]);
        }
    }

    /// <summary>Parses <c>"0s, 5s, 5m, 2h"</c>; null with <paramref name="problem"/> when it is not a schedule.</summary>
    public static IReadOnlyList<TimeSpan>? ParseSchedule(string? text, out string? problem) => Delivery.RetrySchedule.Parse(text, out problem);
}
