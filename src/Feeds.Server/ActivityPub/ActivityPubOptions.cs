using System.ComponentModel.DataAnnotations;
using Feeds.Outbound;
using Feeds.Server.Delivery;

namespace Feeds.Server.ActivityPub;

/// <summary>The site and its tags as fediverse actors, section <c>Feeds:ActivityPub</c> (environment variables <c>Feeds__ActivityPub__Key</c>).</summary>
public sealed class ActivityPubOptions : IValidatableObject
{
    public const string Section = "Feeds:ActivityPub";

    /// <summary>On or off; unset, on when <c>Feeds:BaseUrl</c> is a public https URL (the fediverse cannot reach anything else).</summary>
    public bool? Enabled { get; set; }

    /// <summary>The site actor's name (<c>@name@host</c>); unset, the first label of the host, or <c>links</c> for an address.</summary>
    [RegularExpression("^[a-z0-9_]{1,64}$", ErrorMessage = "Feeds:ActivityPub:Name must be 1 to 64 lower-case letters, digits or underscores.")]
    public string? Name { get; set; }

    /// <summary>Also reach peers on loopback and private networks (self-hosting, tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The ports inboxes and actor documents may be fetched from, comma-separated ports and ranges.</summary>
    public string AllowedPorts { get; set; } = OutboundPorts.DefaultList;

    /// <summary>Delay before each delivery attempt, comma-separated; its length is the number of attempts.</summary>
    [Required]
    public string RetrySchedule { get; set; } = "0s, 30s, 5m, 30m, 2h, 6h, 12h, 24h, 48h";

    [Range(0.0, 0.9)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>One whole request to another server (a delivery, an actor or key fetch).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest body the inbox reads; larger ones are refused with 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxInboxBytes { get; set; } = 256 * 1024;

    /// <summary>How far a signed request's <c>Date</c> may lie from now, either way (Mastodon allows 12 hours).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Inbox requests one host may make per minute; more are refused with 429.</summary>
    [Range(1, 1_000_000)]
    public int InboxRequestsPerMinutePerHost { get; set; } = 600;

    /// <summary>How long a fetched actor (and its key) is kept before it is fetched again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ActorCacheTime { get; set; } = TimeSpan.FromHours(1);

    public IReadOnlyList<TimeSpan> Schedule => Delivery.RetrySchedule.Parse(RetrySchedule, out _) ?? [];

    /// <summary>Whether actors are served, and if not, why not.</summary>
    public bool IsEnabled(Uri baseUrl, out string reason)
    {
        if (Enabled is { } set)
        {
            reason = set ? "Feeds:ActivityPub:Enabled is true" : "Feeds:ActivityPub:Enabled is false";
            return set;
        }

        if (baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            reason = $"Feeds:BaseUrl ({baseUrl}) is not https, which fediverse servers require; set Feeds:ActivityPub:Enabled to override";
            return false;
        }

        if (baseUrl.IsLoopback || baseUrl.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || !baseUrl.Host.Contains('.', StringComparison.Ordinal))
        {
            reason = $"Feeds:BaseUrl ({baseUrl}) is not a public host name; set Feeds:ActivityPub:Enabled to override";
            return false;
        }

        reason = "Feeds:BaseUrl is a public https URL";
        return true;
    }

    /// <summary>The site actor's name under <paramref name="baseUrl"/>.</summary>
    public string SiteActorName(Uri baseUrl)
    {
        if (Name is { Length: > 0 } name)
        {
            return name;
        }

        if (baseUrl.HostNameType == UriHostNameType.Dns)
        {
            var label = baseUrl.IdnHost.Split('.')[0].ToLowerInvariant().Replace('-', '_');
            if (label.Length is > 0 and <= 64 && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && baseUrl.IdnHost.Contains('.', StringComparison.Ordinal))
            {
                return label;
            }
        }

        return "links";
    }

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
        if (!OutboundPorts.TryParse(AllowedPorts, out _, out var portsProblem))
        {
            yield return new ValidationResult($"{Section}:{nameof(AllowedPorts)} {portsProblem}", [nameof(AllowedPorts)]);
        }

        if (Delivery.RetrySchedule.Parse(RetrySchedule, out var problem) is null)
        {
            yield return new ValidationResult($"{Section}:{nameof(RetrySchedule)} {problem}", [nameof(RetrySchedule)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectTimeout)} ({ConnectTimeout}) must not exceed {Section}:{nameof(Timeout)} ({Timeout}).", [nameof(ConnectTimeout)]);
        }
    }
}
