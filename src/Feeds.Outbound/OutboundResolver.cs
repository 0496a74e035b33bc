using System.Net;
using System.Net.Sockets;

namespace Feeds.Outbound;

/// <summary>Turns the host of a URL into the addresses a connection may use, judged by <see cref="AddressPolicy"/>.</summary>
internal static class OutboundResolver
{
    /// <summary>
    /// Every address of <paramref name="host"/> with its verdict, in resolver order. IP literals are parsed
    /// here rather than handed to the resolver; a host that looks like an IPv6 literal but does not parse
    /// is never looked up, because resolvers are lenient about such strings in ways we cannot judge.
    /// </summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static async Task<IReadOnlyList<AddressVerdict>> ResolveAsync(string host, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (literal.Contains(':'))
        {
            if (!IPAddress.TryParse(Uri.UnescapeDataString(literal), out var v6))
            {
                throw new BlockedAddressException(host, []);
            }

            return [AddressPolicy.Judge(v6, allowPrivateNetworks)];
        }

        if (IPAddress.TryParse(literal, out var v4))
        {
            return [AddressPolicy.Judge(v4, allowPrivateNetworks)];
        }

        var addresses = await Dns.GetHostAddressesAsync(literal, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return [.. addresses.Distinct().Select(a => AddressPolicy.Judge(a, allowPrivateNetworks))];
    }

    /// <summary>The address to hand to the socket: mapped IPv4 addresses become plain IPv4.</summary>
    public static IPAddress ConnectableForm(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
