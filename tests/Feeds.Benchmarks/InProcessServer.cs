extern alias server;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Feeds.Benchmarks;

/// <summary>
/// The whole service on Kestrel at 127.0.0.1 over its own data directory, in this process, configured as in production
/// (where <see cref="ChildServer"/> cannot reach in: a benchmark that calls the service's types or the tool's entry point).
/// </summary>
public sealed class InProcessServer : WebApplicationFactory<server::Program>
{
    public const string Token = ChildServer.Token;

    private readonly Dictionary<string, string> _settings;

    /// <param name="settings">Configuration keys (<c>Feeds:Sources:X</c>) on top of data directory, token, base URL and warnings-only logging.</param>
    public InProcessServer(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        _settings = new Dictionary<string, string>
        {
            ["Feeds:DataDirectory"] = dataDirectory,
            ["Feeds:AdminToken"] = Token,
            ["Feeds:BaseUrl"] = Address.ToString().TrimEnd('/'),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }

        UseKestrel(Address.Port);
        StartServer();
    }

    public Uri Address { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
