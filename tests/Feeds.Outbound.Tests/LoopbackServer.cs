using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Feeds.Outbound.Tests;

/// <summary>
/// A tiny HTTP/1.1 responder on 127.0.0.1: it reads a request head, lets the test write the raw
/// response, and closes the connection. Raw bytes let tests send what real servers get wrong.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Stream, CancellationToken, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    private LoopbackServer(Func<Stream, CancellationToken, Task> respond, bool readRequest)
    {
        _respond = respond;
        _listener.Start();
        _acceptLoop = AcceptAsync(readRequest);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public Uri Url(string path = "/") => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>Reads the request head, then lets <paramref name="respond"/> write the response.</summary>
    public static LoopbackServer Start(Func<Stream, CancellationToken, Task> respond) => new(respond, readRequest: true);

    /// <summary>Writes <paramref name="respond"/> as soon as a connection arrives, without reading anything.</summary>
    public static LoopbackServer StartEager(Func<Stream, CancellationToken, Task> respond) => new(respond, readRequest: false);

    public static LoopbackServer Responding(string status, string body, params string[] headers) =>
        Start((stream, ct) => WriteAsync(stream, status, Encoding.UTF8.GetBytes(body), headers, ct));

    public static LoopbackServer Silent() => Start((_, ct) => Task.Delay(Timeout.Infinite, ct));

    public static async Task WriteAsync(Stream stream, string status, byte[] body, string[] headers, CancellationToken ct)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {body.Length}\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), ct);
        await stream.WriteAsync(body, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(bool readRequest)
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, readRequest);
        }
    }

    private async Task ServeAsync(TcpClient client, bool readRequest)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (readRequest)
                {
                    await ReadHeadAsync(stream, _stop.Token);
                }

                await _respond(stream, _stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (often on purpose: it stopped reading at a limit).
            }
        }
    }

    private static async Task ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var window = 0u;
        var one = new byte[1];
        while (window != 0x0D0A0D0A)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return;
            }

            window = (window << 8) | one[0];
        }
    }
}
