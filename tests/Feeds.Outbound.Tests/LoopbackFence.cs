using System.Net;

namespace Feeds.Outbound.Tests;

/// <summary>
/// Stands where the handler opens its socket and lets only loopback connections through. Tests send
/// nothing off this machine, so even a handler that wrongly allowed 10.0.0.1 would be stopped here,
/// and the test would see the attempt in <see cref="Refused"/> instead of reaching a real network.
/// </summary>
internal sealed class LoopbackFence
{
    private readonly List<IPEndPoint> _refused = [];

    public IReadOnlyList<IPEndPoint> Refused
    {
        get
        {
            lock (_refused)
            {
                return [.. _refused];
            }
        }
    }

    public HttpClient Client(OutboundOptions options) =>
        new(OutboundHttp.CreateHandler(options, ConnectAsync)) { Timeout = options.RequestTimeout };

    private ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        if (IPAddress.IsLoopback(endPoint.Address))
        {
            return OutboundHttp.ConnectSocketAsync(endPoint, cancellationToken);
        }

        lock (_refused)
        {
            _refused.Add(endPoint);
        }

        throw new InvalidOperationException($"The test fence refused a connection to {endPoint}.");
    }
}
