using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Feeds.Outbound;

/// <summary>
/// Settings of the one HTTP client stack that every request to a user-supplied URL goes through
/// (webhook deliveries and feed polling). Redirects are never followed automatically: each hop is
/// a new URL that the caller must vet, so <see cref="HttpClientHandler.AllowAutoRedirect"/> is not a setting.
/// </summary>
public sealed record OutboundOptions
{
    public const string SectionName = "Outbound";

    /// <summary>Also allow loopback, RFC 1918, unique local (fc00::/7) and shared (100.64/10) addresses.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>The ports requests may go to: by default 80, 443 and 1024 and up.</summary>
    public OutboundPorts AllowedPorts { get; init; } = OutboundPorts.Default;

    /// <summary>Refuse plain http URLs, both when they are registered and when a request is sent.</summary>
    public bool HttpsOnly { get; init; }

    /// <summary>Name resolution plus the TCP connect, across all candidate addresses.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:02:00")]
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole request, for clients made by <see cref="OutboundHttp.CreateClient"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Body limits apply to the decompressed bytes, so a compression bomb is stopped like any large body.</summary>
    public DecompressionMethods AutomaticDecompression { get; init; } = DecompressionMethods.All;

    /// <summary>How long a pooled connection is reused before the host name is resolved (and checked) again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    [Range(1, 1024)]
    public int MaxConnectionsPerServer { get; init; } = 8;
}
