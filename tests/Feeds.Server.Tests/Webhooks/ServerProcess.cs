using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Webhooks;

/// <summary>
/// The service as a separate operating-system process (<c>dotnet Feeds.Server.dll</c>) on a loopback port, so a test
/// can kill it the hard way (SIGKILL) and start it again over the same data directory.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, IDictionary<string, string?> settings, int? port = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Feeds.Server.dll");
        Assert.True(File.Exists(dll), $"Feeds.Server.dll is expected beside the tests in {AppContext.BaseDirectory}");
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{chosen}");
        start.Environment["Feeds__DataDirectory"] = dataDirectory;
        start.Environment["Feeds__AdminToken"] = FeedsServer.AdminToken;
        start.Environment["Feeds__BaseUrl"] = "https://links.example";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Feeds.Server");
        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, chosen);
        await server.WaitUntilAliveAsync();
        return server;
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FeedsServer.AdminToken);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, nothing the service can do about it.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            Assert.False(_process.HasExited, $"Feeds.Server exited with code {(_process.HasExited ? _process.ExitCode : 0)} during start-up");
            try
            {
                if ((await client.GetAsync("/alive")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("Feeds.Server did not become alive within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
