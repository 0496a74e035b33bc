using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// The whole service on Kestrel at 127.0.0.1 with a database of its own (a SQLite file in its data directory, or a
/// PostgreSQL database: <see cref="TestDatabase"/>): real HTTP, real database, real Quartz.
/// Dispose to stop it; construct another over the same <see cref="DataDirectory"/> to restart it.
/// </summary>
public sealed class FeedsServer : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _clock;

    /// <param name="port">The port to listen on; by default a free one. A restart passes the port it had, to stay the same site.</param>
    /// <param name="alsoListenOn">Another address to listen on (the same port), for peers that are not loopback.</param>
    /// <param name="clock">The service's clock; by default the system's.</param>
    public FeedsServer(string? dataDirectory = null, IDictionary<string, string?>? settings = null, int? port = null, System.Net.IPAddress? alsoListenOn = null,
        TimeProvider? clock = null)
    {
        _clock = clock;
        DataDirectory = dataDirectory ?? TempDirectory.Create();
        port ??= TestPorts.Free();
        Address = new Uri($"http://127.0.0.1:{port}");
        _settings = new Dictionary<string, string?>
        {
            ["Feeds:DataDirectory"] = DataDirectory,
            ["Feeds:AdminToken"] = AdminToken,
            ["Feeds:BaseUrl"] = Address.ToString().TrimEnd('/'),
        };
        if (settings?.ContainsKey("Feeds:Database:Provider") != true)
        {
            foreach (var (key, value) in TestDatabase.SettingsFor(DataDirectory))
            {
                _settings[key] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        if (alsoListenOn is null)
        {
            UseKestrel(port.Value);
        }
        else
        {
            UseKestrel(kestrel =>
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, port.Value);
                kestrel.Listen(alsoListenOn, port.Value);
            });
        }

        StartServer();
    }

    /// <summary>Where the server listens, which is also its configured base URL, so feeds are served as the site's own.</summary>
    public Uri Address { get; }

    public string DataDirectory { get; }

    /// <summary>
    /// The service's "now": its registered <see cref="TimeProvider"/>, the clock it compares schedules, item dates and
    /// expiries with, so a test's "in an hour" or "a minute ago" means the same to the service whatever clock it runs on.
    /// </summary>
    public DateTimeOffset Now => Services.GetRequiredService<TimeProvider>().GetUtcNow();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient CreateAuthorizedClient(string token = AdminToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Every response the server sent, in order: what a test asserts about requests made by an outside tool.</summary>
    public ResponseLog Responses { get; } = new();

    /// <summary>What the server logged, at the levels its settings let through.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(Responses);
            services.AddSingleton<ILoggerProvider>(Logs);
            if (_clock is not null)
            {
                services.AddSingleton(_clock);
            }
        });
    }
}

/// <summary>Keeps each log entry's category and structured values.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, IReadOnlyDictionary<string, object?> Values)> _entries = new();

    public IReadOnlyList<(string Category, IReadOnlyDictionary<string, object?> Values)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, IReadOnlyDictionary<string, object?>)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = state is IEnumerable<KeyValuePair<string, object?>> values
                ? values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            if (exception is not null)
            {
                entry["{Exception}"] = exception;
            }

            entries.Enqueue((category, entry));
        }
    }
}

/// <summary>Records method, path and status of every response, ahead of the rest of the pipeline.</summary>
public sealed class ResponseLog : IStartupFilter
{
    private readonly ConcurrentQueue<(string Method, string Path, int Status)> _entries = new();

    public IReadOnlyList<(string Method, string Path, int Status)> Entries => [.. _entries];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, pipeline) =>
        {
            var path = context.Request.Path.Value ?? "/";
            await pipeline(context);
            _entries.Enqueue((context.Request.Method, path, context.Response.StatusCode));
        });
        next(app);
    };
}

public static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "feeds-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

public static class HttpAssertions
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(FeedsServer.Json);

    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static string[] ErrorFields(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
