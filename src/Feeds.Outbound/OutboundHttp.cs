using System.Net;
using System.Net.Sockets;

namespace Feeds.Outbound;

/// <summary>
/// The only way the service should talk HTTP to URLs that users supply. The handler resolves host names
/// itself, drops addresses <see cref="AddressPolicy"/> refuses, refuses ports outside <see cref="OutboundOptions.AllowedPorts"/>, and connects to an address it has just
/// checked, so a DNS answer cannot change between the check and the connect (DNS rebinding).
/// Share one handler per configuration: it pools connections.
/// </summary>
public static class OutboundHttp
{
    /// <summary>
    /// A handler for <see cref="HttpClient"/> or <c>ConfigurePrimaryHttpMessageHandler</c>. It is a thin
    /// guard over a <see cref="SocketsHttpHandler"/>: HTTP/3 runs over QUIC, which opens its own
    /// connections without the connect callback, so requests are held to HTTP/2 and below.
    /// </summary>
    public static HttpMessageHandler CreateHandler(OutboundOptions options) => CreateHandler(options, ConnectSocketAsync);

    /// <summary>A client over <see cref="CreateHandler(OutboundOptions)"/> with <see cref="OutboundOptions.RequestTimeout"/>.</summary>
    public static HttpClient CreateClient(OutboundOptions options) =>
        new(CreateHandler(options), disposeHandler: true) { Timeout = options.RequestTimeout };

    /// <param name="connect">Opens the TCP connection to an address the policy allowed; tests put a fence here.</param>
    internal static HttpMessageHandler CreateHandler(OutboundOptions options, Func<IPEndPoint, CancellationToken, ValueTask<Stream>> connect)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // A proxy would receive the connection instead of the checked address.
            UseProxy = false,
            // One handler serves many unrelated endpoints; cookies and credentials must not travel between them.
            UseCookies = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = options.AutomaticDecompression,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, options, connect, cancellationToken),
        };
        return new PolicyHandler(options) { InnerHandler = sockets };
    }

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context,
        OutboundOptions options,
        Func<IPEndPoint, CancellationToken, ValueTask<Stream>> connect,
        CancellationToken cancellationToken)
    {
        if (options.HttpsOnly && context.InitialRequestMessage.RequestUri is { } uri && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new HttpsRequiredException(uri);
        }

        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        if (!options.AllowedPorts.Allows(port))
        {
            throw new BlockedPortException(host, port, options.AllowedPorts);
        }

        var verdicts = await OutboundResolver.ResolveAsync(host, options.AllowPrivateNetworks, cancellationToken);
        var allowed = verdicts.Where(v => v.IsAllowed).ToList();
        if (allowed.Count == 0)
        {
            throw new BlockedAddressException(host, verdicts);
        }

        // Blocked addresses among allowed ones are skipped silently: the request goes where policy permits.
        Exception? last = null;
        foreach (var verdict in allowed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await connect(new IPEndPoint(OutboundResolver.ConnectableForm(verdict.Address), port), cancellationToken);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw last!;
    }

    internal static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Checks what can be checked before a connection is chosen, and keeps requests off QUIC.</summary>
    private sealed class PolicyHandler(OutboundOptions options) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && options.HttpsOnly && uri.Scheme != Uri.UriSchemeHttps)
            {
                // Wrapped like the handler's own connect failures, so callers need one catch for "did not get a response".
                var refused = new HttpsRequiredException(uri);
                throw new HttpRequestException(HttpRequestError.Unknown, refused.Message, refused);
            }

            if (request.Version.Major >= 3 || request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher)
            {
                request.Version = request.Version.Major >= 3 ? HttpVersion.Version20 : request.Version;
                request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
