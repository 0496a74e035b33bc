using System.Net;
using System.Net.Sockets;

namespace Feeds.Outbound.Tests;

/// <summary>
/// A listener on every local address (IPv4 and IPv6) that never accepts: any connection the client
/// makes to this host on <see cref="Port"/>, whatever spelling of "this host" it used, waits in the backlog.
/// </summary>
internal sealed class ConnectionCanary : IDisposable
{
    private readonly TcpListener _listener;

    public ConnectionCanary()
    {
        _listener = new TcpListener(IPAddress.IPv6Any, 0);
        _listener.Server.DualMode = true;
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool WasContacted => _listener.Pending();

    public void Dispose() => _listener.Stop();
}
