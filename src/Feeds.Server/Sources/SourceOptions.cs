using System.ComponentModel.DataAnnotations;
using Feeds.Outbound;

namespace Feeds.Server.Sources;

/// <summary>Polling of followed feeds, section <c>Feeds:Sources</c> (environment variables <c>Feeds__Sources__Key</c>).</summary>
public sealed class SourceOptions : IValidatableObject
{
    public const string Section = "Feeds:Sources";

    private const int Week = 7 * 24 * 60;

    /// <summary>The interval of a source added without one.</summary>
    [Range(1, Week)]
    public int DefaultIntervalMinutes { get; set; } = 60;

    /// <summary>No source is polled more often, whatever it asks for.</summary>
    [Range(1, Week)]
    public int MinIntervalMinutes { get; set; } = 15;

    /// <summary>No healthy source waits longer between polls, however quiet it is or whatever it asks for.</summary>
    [Range(1, Week)]
    public int MaxIntervalMinutes { get; set; } = 24 * 60;

    /// <summary>Polls in flight at once across all sources.</summary>
    [Range(1, 256)]
    public int MaxConcurrentPolls { get; set; } = 16;

    /// <summary>
    /// Polls started per second by the polling job. Polling is background work: paced, a round leaves the CPU to
    /// the readers of the site's own feeds even when upstreams answer at once (manual refreshes are not paced).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxPollsPerSecond { get; set; } = 100;

    /// <summary>Polls in flight at once to one host name.</summary>
    [Range(1, 64)]
    public int MaxPerHost { get; set; } = 2;

    /// <summary>Also poll loopback and private networks (self-hosting, tests). Link-local and metadata addresses stay closed.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The ports URLs may name, comma-separated ports and ranges (<c>{OutboundPorts.DefaultList}</c> by default); checked at registration and at every connect.</summary>
    public string AllowedPorts { get; set; } = OutboundPorts.DefaultList;

    /// <summary>Whether an item's categories become tags of its post, besides the source's own tags.</summary>
    public bool MapCategoriesToTags { get; set; }

    /// <summary>One whole fetch: every redirect, the response and its (bounded) body.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the polling job looks for sources that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MinInterval => TimeSpan.FromMinutes(MinIntervalMinutes);

    public TimeSpan MaxInterval => TimeSpan.FromMinutes(MaxIntervalMinutes);

    /// <summary>Settings for the outbound client stack every fetch goes through.</summary>
    public OutboundOptions ToOutboundOptions() => new()
    {
        AllowPrivateNetworks = AllowPrivateNetworks,
        AllowedPorts = OutboundPorts.Parse(AllowedPorts),
        ConnectTimeout = ConnectTimeout,
        RequestTimeout = Timeout,
        MaxConnectionsPerServer = MaxPerHost,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutboundPorts.TryParse(AllowedPorts, out _, out var portsProblem))
        {
            yield return new ValidationResult($"{Section}:{nameof(AllowedPorts)} {portsProblem}", [nameof(AllowedPorts)]);
        }

        if (MinIntervalMinutes > MaxIntervalMinutes)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(MinIntervalMinutes)} ({MinIntervalMinutes}) must not exceed {Section}:{nameof(MaxIntervalMinutes)} ({MaxIntervalMinutes}).",
                [nameof(MinIntervalMinutes)]);
        }

        if (DefaultIntervalMinutes < MinIntervalMinutes || DefaultIntervalMinutes > MaxIntervalMinutes)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(DefaultIntervalMinutes)} ({DefaultIntervalMinutes}) must lie between {Section}:{nameof(MinIntervalMinutes)} ({MinIntervalMinutes}) and {Section}:{nameof(MaxIntervalMinutes)} ({MaxIntervalMinutes}).",
                [nameof(DefaultIntervalMinutes)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectTimeout)} ({ConnectTimeout}) must not exceed {Section}:{nameof(Timeout)} ({Timeout}).", [nameof(ConnectTimeout)]);
        }
    }
}
