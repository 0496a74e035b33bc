using System.Net;
using System.Net.Sockets;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// Ports for test servers. Not port 0's pick: that comes from the ephemeral range, which every outgoing connection of
/// the test processes running side by side also draws from, so a port found free could be taken by a client socket
/// before the server binds it. These come from just below that range, in a sequence starting at a random place per
/// process, and each is checked free when handed out.
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private const int Count = 12_000;

    private static int _next = Random.Shared.Next(Count);

    public static int Free()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free port in {First}-{First + Count - 1}");
    }
}
