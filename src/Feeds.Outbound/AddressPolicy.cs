using System.Net;
using System.Net.Sockets;

namespace Feeds.Outbound;

/// <summary>What kind of destination an IP address is, as far as outbound requests are concerned.</summary>
public enum AddressCategory
{
    /// <summary>A globally routable unicast address.</summary>
    Public,
    Loopback,
    /// <summary>RFC 1918 IPv4 ranges and IPv6 unique local addresses (fc00::/7).</summary>
    PrivateNetwork,
    /// <summary>100.64.0.0/10, carrier-grade NAT; overlay networks such as Tailscale also live here.</summary>
    SharedAddressSpace,
    LinkLocal,
    /// <summary>0.0.0.0/8 and ::, which the operating system treats as "this host".</summary>
    Unspecified,
    Multicast,
    /// <summary>Addresses outside any range a public host can have: 240/4, broadcast, deprecated or reserved IPv6 space.</summary>
    Reserved,
    Documentation,
    Benchmarking,
    ProtocolAssignments,
    /// <summary>IPv6 transition mechanisms that relay to an address we cannot judge (6to4, Teredo, local NAT64).</summary>
    Transition,
    /// <summary>Instance metadata services of cloud providers, which hand out credentials.</summary>
    CloudMetadata,
}

/// <summary>The judgement on one address: whether a request may go there and, when not, why.</summary>
public sealed record AddressVerdict(IPAddress Address, AddressCategory Category, bool IsAllowed, string Reason);

/// <summary>
/// Decides which IP addresses the service may open connections to. Webhook targets and feed URLs are
/// supplied by users, so without this a URL could make the server probe its own network (SSRF).
/// The rule is "globally routable unicast only"; <see cref="OutboundOptions.AllowPrivateNetworks"/>
/// additionally opens loopback, RFC 1918, unique local and shared (100.64/10) space for self-hosting.
/// Link-local and cloud metadata addresses stay closed whatever the option says.
/// </summary>
public static class AddressPolicy
{
    private sealed record Range(IPNetwork Network, AddressCategory Category, string Description);

    // Most specific first: the first range containing the address decides.
    private static readonly Range[] V4Ranges =
    [
        new(IPNetwork.Parse("169.254.169.254/32"), AddressCategory.CloudMetadata, "a cloud instance metadata service"),
        new(IPNetwork.Parse("100.100.100.200/32"), AddressCategory.CloudMetadata, "a cloud instance metadata service"),
        new(IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Unspecified, "a \"this network\" address (0.0.0.0/8)"),
        new(IPNetwork.Parse("10.0.0.0/8"), AddressCategory.PrivateNetwork, "a private network address (10.0.0.0/8)"),
        new(IPNetwork.Parse("100.64.0.0/10"), AddressCategory.SharedAddressSpace, "a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        new(IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback, "a loopback address (127.0.0.0/8)"),
        new(IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal, "a link-local address (169.254.0.0/16)"),
        new(IPNetwork.Parse("172.16.0.0/12"), AddressCategory.PrivateNetwork, "a private network address (172.16.0.0/12)"),
        new(IPNetwork.Parse("192.0.0.0/24"), AddressCategory.ProtocolAssignments, "an IETF protocol assignment (192.0.0.0/24)"),
        new(IPNetwork.Parse("192.0.2.0/24"), AddressCategory.Documentation, "a documentation address (192.0.2.0/24)"),
        new(IPNetwork.Parse("192.88.99.0/24"), AddressCategory.Transition, "a 6to4 relay anycast address (192.88.99.0/24)"),
        new(IPNetwork.Parse("192.168.0.0/16"), AddressCategory.PrivateNetwork, "a private network address (192.168.0.0/16)"),
        new(IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Benchmarking, "a benchmarking address (198.18.0.0/15)"),
        new(IPNetwork.Parse("198.51.100.0/24"), AddressCategory.Documentation, "a documentation address (198.51.100.0/24)"),
        new(IPNetwork.Parse("203.0.113.0/24"), AddressCategory.Documentation, "a documentation address (203.0.113.0/24)"),
        new(IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast, "a multicast address (224.0.0.0/4)"),
        new(IPNetwork.Parse("255.255.255.255/32"), AddressCategory.Reserved, "the broadcast address"),
        new(IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved, "a reserved address (240.0.0.0/4)"),
    ];

    private static readonly Range[] V6Ranges =
    [
        new(IPNetwork.Parse("fd00:ec2::254/128"), AddressCategory.CloudMetadata, "a cloud instance metadata service"),
        new(IPNetwork.Parse("::/128"), AddressCategory.Unspecified, "the unspecified address (::)"),
        new(IPNetwork.Parse("::1/128"), AddressCategory.Loopback, "the loopback address (::1)"),
        new(IPNetwork.Parse("::/96"), AddressCategory.Reserved, "a deprecated IPv4-compatible address (::/96)"),
        new(IPNetwork.Parse("64:ff9b:1::/48"), AddressCategory.Transition, "a local-use NAT64 address (64:ff9b:1::/48)"),
        new(IPNetwork.Parse("100::/64"), AddressCategory.Reserved, "a discard-only address (100::/64)"),
        new(IPNetwork.Parse("2001::/32"), AddressCategory.Transition, "a Teredo address (2001::/32)"),
        new(IPNetwork.Parse("2001:2::/48"), AddressCategory.Benchmarking, "a benchmarking address (2001:2::/48)"),
        new(IPNetwork.Parse("2001:db8::/32"), AddressCategory.Documentation, "a documentation address (2001:db8::/32)"),
        new(IPNetwork.Parse("2001::/23"), AddressCategory.ProtocolAssignments, "an IETF protocol assignment (2001::/23)"),
        new(IPNetwork.Parse("2002::/16"), AddressCategory.Transition, "a 6to4 address (2002::/16)"),
        new(IPNetwork.Parse("3fff::/20"), AddressCategory.Documentation, "a documentation address (3fff::/20)"),
        new(IPNetwork.Parse("fc00::/7"), AddressCategory.PrivateNetwork, "a unique local address (fc00::/7)"),
        new(IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal, "a link-local address (fe80::/10)"),
        new(IPNetwork.Parse("fec0::/10"), AddressCategory.Reserved, "a deprecated site-local address (fec0::/10)"),
        new(IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast, "a multicast address (ff00::/8)"),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64WellKnown = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>The categories <see cref="OutboundOptions.AllowPrivateNetworks"/> opens.</summary>
    public static IReadOnlySet<AddressCategory> PrivateCategories { get; } = new HashSet<AddressCategory>
    {
        AddressCategory.Loopback,
        AddressCategory.PrivateNetwork,
        AddressCategory.SharedAddressSpace,
    };

    /// <summary>Judges <paramref name="address"/>; IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.</summary>
    public static AddressVerdict Judge(IPAddress address, bool allowPrivateNetworks = false)
    {
        ArgumentNullException.ThrowIfNull(address);

        if (address.IsIPv4MappedToIPv6)
        {
            var inner = Judge(address.MapToIPv4(), allowPrivateNetworks);
            return inner with
            {
                Address = address,
                Reason = inner.IsAllowed ? inner.Reason : $"{address} maps to {inner.Reason}",
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64WellKnown.Contains(address))
        {
            return JudgeNat64(address);
        }

        var ranges = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4Ranges,
            AddressFamily.InterNetworkV6 => V6Ranges,
            _ => null,
        };
        if (ranges is null)
        {
            return Blocked(address, AddressCategory.Reserved, $"{address} is not an IP address");
        }

        foreach (var range in ranges)
        {
            if (range.Network.Contains(address))
            {
                var allowed = allowPrivateNetworks && PrivateCategories.Contains(range.Category);
                return new AddressVerdict(address, range.Category, allowed, $"{address} is {range.Description}");
            }
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicast.Contains(address))
        {
            return Blocked(address, AddressCategory.Reserved, $"{address} is outside the global unicast range (2000::/3)");
        }

        return new AddressVerdict(address, AddressCategory.Public, true, $"{address} is a public address");
    }

    /// <summary>
    /// The well-known NAT64 prefix carries the IPv4 destination in its last 32 bits, and translators
    /// must not translate to non-global IPv4 (RFC 6052), so it is judged by that IPv4 address. Hosts on
    /// IPv6-only networks with DNS64 reach every IPv4-only site this way, so blocking it outright would
    /// cut them off from most of the web.
    /// </summary>
    private static AddressVerdict JudgeNat64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var embedded = new IPAddress(bytes.AsSpan(12, 4));
        var inner = Judge(embedded, allowPrivateNetworks: false);
        return inner.IsAllowed
            ? new AddressVerdict(address, AddressCategory.Public, true, $"{address} is NAT64 for the public address {embedded}")
            : Blocked(address, AddressCategory.Transition, $"{address} is NAT64 for {inner.Reason}");
    }

    private static AddressVerdict Blocked(IPAddress address, AddressCategory category, string reason) =>
        new(address, category, false, reason);
}
