using System.ComponentModel.DataAnnotations;
using Feeds.Outbound;

namespace Feeds.Server.Delivery;

/// <summary>
/// The settings of a kind of delivery over the shared outbox that reaches other servers (WebSub, ActivityPub): which
/// networks and ports, how long a request may take, and the retry schedule. Each kind keeps them in its own section
/// (<c>Feeds:WebSub:Timeout</c>, <c>Feeds:ActivityPub:Timeout</c>) with defaults of its own.
/// </summary>
public abstract class OutboundDeliveryOptions(string retrySchedule, TimeSpan timeout) : IValidatableObject
{
    /// <summary>The configuration section the settings are read from, named in validation messages.</summary>
    protected abstract string SectionName { get; }

    /// <summary>Also reach servers on loopback and private networks (self-hosting, tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The ports the URLs reached may name, comma-separated ports and ranges.</summary>
    public string AllowedPorts { get; set; } = OutboundPorts.DefaultList;

    /// <summary>Delay before each delivery attempt, comma-separated; its length is the number of attempts.</summary>
    [Required]
    public string RetrySchedule { get; set; } = retrySchedule;

    [Range(0.0, 0.9)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>One whole request to another server.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = timeout;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The parsed <see cref="RetrySchedule"/> with its jitter, honouring a <c>Retry-After</c> of up to a day.</summary>
    public RetrySchedule Retries() => new(Delivery.RetrySchedule.Parse(RetrySchedule, out _) ?? [], Jitter, TimeSpan.FromHours(24));

    /// <summary>Settings for the outbound client these requests go through.</summary>
    public OutboundOptions ToOutboundOptions(int maxConnectionsPerServer) => new()
    {
        AllowPrivateNetworks = AllowPrivateNetworks,
        AllowedPorts = OutboundPorts.Parse(AllowedPorts),
        ConnectTimeout = ConnectTimeout,
        RequestTimeout = Timeout,
        MaxConnectionsPerServer = maxConnectionsPerServer,
    };

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutboundPorts.TryParse(AllowedPorts, out _, out var portsProblem))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(AllowedPorts)} {portsProblem}", [nameof(AllowedPorts)]);
        }

        if (Delivery.RetrySchedule.Parse(RetrySchedule, out var problem) is null)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(RetrySchedule)} {problem}", [nameof(RetrySchedule)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ConnectTimeout)} ({ConnectTimeout}) must not exceed {SectionName}:{nameof(Timeout)} ({Timeout}).", [nameof(ConnectTimeout)]);
        }
    }
}
