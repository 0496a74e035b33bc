using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Feeds.Benchmarks;

/// <summary>
/// Feeds.Server as a child process on 127.0.0.1, built in the same configuration as the benchmarks (their project
/// reference builds it first), so a load script measures the real service and can read its memory from outside.
/// </summary>
public sealed class ChildServer : IDisposable
{
    public const string Token = "benchmark-admin-token-0123456789";

    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private ChildServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the server wrote to standard output so far (its console log), line by line.</summary>
    public IReadOnlyList<string> OutputLines => [.. _output];

    /// <summary>The server's resident set size now, in MB.</summary>
    public double ResidentMegabytes => Status("VmRSS:");

    /// <summary>
    /// The anonymous part of the server's resident set now, in MB: its own memory, without the pages of files it maps
    /// (SQLite reads the database through a mapping, whose pages are the kernel's file cache, shared and reclaimable).
    /// </summary>
    public double AnonymousMegabytes => Status("RssAnon:");

    /// <summary>The most the server's resident set has been since it started, in MB.</summary>
    public double PeakResidentMegabytes => Status("VmHWM:");

    /// <summary>Starts the server over <paramref name="dataDirectory"/> with <paramref name="settings"/> as environment and waits until it answers.</summary>
    public static async Task<ChildServer> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
        start.ArgumentList.Add(FindServerDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString());
        start.Environment["Feeds__DataDirectory"] = dataDirectory;
        start.Environment["Feeds__BaseUrl"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Feeds__AdminToken"] = Token;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var server = new ChildServer(process, baseAddress);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { server._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"server: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probeClient = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await probeClient.GetAsync("/alive")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        server.Dispose();
        throw new TimeoutException("Feeds.Server did not start within 60 s");
    }

    /// <summary>A size in kB from <c>/proc/{pid}/status</c>, in MB.</summary>
    private double Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    private static string FindServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feeds.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Feeds.Server", "bin", configuration, "net10.0", "Feeds.Server.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("build Feeds.Server first", dll);
            }
        }

        throw new FileNotFoundException("Feeds.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
