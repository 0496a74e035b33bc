using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// The service as its own operating-system process, for what an in-process host cannot show:
/// being killed with SIGKILL and started again over the same data directory.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration keys (<c>Feeds:Webhooks:X</c>), passed as environment variables.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var port = TestPorts.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = StartInfo(dataDirectory, baseAddress, await WithDatabaseAsync(dataDirectory, settings));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, baseAddress);
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        // Generous: a busy machine (a parallel test run on two cores) starts a .NET process slowly.
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server process exited with code {process.ExitCode}");
            }

            try
            {
                if ((await probe.GetAsync("/alive")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
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

        server.Dispose();
        throw new TimeoutException($"the server process did not become alive within {StartTimeout.TotalSeconds} s");
    }

    /// <summary>
    /// Runs the server with settings that must keep it from starting; returns its exit code and all it wrote once it
    /// has exited (or fails the test when it starts after all).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IDictionary<string, string?> settings)
    {
        var dataDirectory = TempDirectory.Create();
        var start = StartInfo(dataDirectory, new Uri($"http://127.0.0.1:{TestPorts.Free()}"), await WithDatabaseAsync(dataDirectory, settings));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server process kept running with settings that should have stopped it");
        }

        return (process.ExitCode, await output + await errors);
    }

    /// <summary><paramref name="settings"/> with the database under test (<see cref="TestDatabase"/>), unless they choose one.</summary>
    private static async Task<IDictionary<string, string?>> WithDatabaseAsync(string dataDirectory, IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (!all.ContainsKey("Feeds:Database:Provider"))
        {
            foreach (var (key, value) in await TestDatabase.SettingsForAsync(dataDirectory))
            {
                all.TryAdd(key, value);
            }
        }

        return all;
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, Uri baseAddress, IDictionary<string, string?>? settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Feeds.Server.dll"), "--urls", baseAddress.ToString() },
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Feeds__DataDirectory"] = dataDirectory;
        start.Environment["Feeds__AdminToken"] = FeedsServer.AdminToken;
        start.Environment["Feeds__BaseUrl"] = "https://links.example";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // As for the test processes themselves (tests/Directory.Build.targets): a server that lives seconds gains nothing from dynamic PGO.
        start.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    public HttpClient CreateAuthorizedClient() => new()
    {
        BaseAddress = BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", FeedsServer.AdminToken) },
    };

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a crash or the OOM killer.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
