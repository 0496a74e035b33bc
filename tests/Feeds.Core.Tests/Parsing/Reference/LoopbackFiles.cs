using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Feeds.Core.Tests.Parsing.Reference;

/// <summary>
/// Serves the files of one folder over HTTP on 127.0.0.1, so the reference parser reads each fixture from the same
/// URL (its base for relative links) and with the same <c>Content-Type</c> as ours does. A <c>name.content-type</c>
/// file beside a fixture gives its header; other fixtures are <c>application/xml</c> or <c>application/json</c>.
/// </summary>
public sealed class LoopbackFiles : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _root;
    private readonly Task _serving;

    public LoopbackFiles(string root)
    {
        _root = Path.GetFullPath(root);
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public static string ContentTypeOf(string path)
    {
        var declared = path + ".content-type";
        if (File.Exists(declared))
        {
            return File.ReadAllText(declared).Trim();
        }

        return path.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/xml";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var target = request.ToString().Split(' ', 3)[1];
            var relative = Uri.UnescapeDataString(target.Split('?')[0]).TrimStart('/');
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            byte[] body;
            string head;
            if (path.StartsWith(_root, StringComparison.Ordinal) && File.Exists(path))
            {
                body = await File.ReadAllBytesAsync(path, _stop.Token);
                head = $"HTTP/1.1 200 OK\r\nContent-Type: {ContentTypeOf(path)}\r\n";
            }
            else
            {
                body = [];
                head = "HTTP/1.1 404 Not Found\r\n";
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
        }
    }
}
