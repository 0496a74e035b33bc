using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Feeds.Tests;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// The shipped front server (<c>deploy/nginx/</c>) as a child process: Debian's nginx with its Brotli static module, a
/// configuration of its own in a temporary prefix that includes the shipped feed locations unchanged, with the test's
/// nodes as the upstream and the test's static directory as the root; stopped by its process id.
/// </summary>
public sealed class NginxFront : IAsyncDisposable
{
    private const string BrotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

    private static readonly string? Binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly string _prefix;

    private NginxFront(Process process, string prefix, Uri baseAddress)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What is missing to run the front server, or null.</summary>
    public static string? Missing =>
        !OperatingSystem.IsLinux() ? "Linux, to run nginx for the tests"
        : Binary is null ? "nginx (apt-get install nginx)"
        : !File.Exists(BrotliModule) ? "nginx's Brotli static module (apt-get install libnginx-mod-http-brotli-static)"
        : null;

    public static async Task<NginxFront> StartAsync(string staticDirectory, IEnumerable<Uri> nodes)
    {
        var prefix = TempDirectory.Create();
        // The workers run as nobody when the tests run as root: they read the static directory and write their buffers here.
        foreach (var directory in new[] { prefix, Path.Combine(prefix, "tmp") })
        {
            Directory.CreateDirectory(directory);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(ExternalTools.RepositoryRoot, "deploy", "nginx"), "feeds-*.conf"))
        {
            File.Copy(file, Path.Combine(prefix, Path.GetFileName(file)));
        }

        var port = TestPorts.Free();
        var upstream = string.Concat(nodes.Select(n => $"server {n.Host}:{n.Port} max_fails=1 fail_timeout=5s; "));
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            load_module {{BrotliModule}};
            worker_processes 2;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/tmp/body;
                proxy_temp_path {{prefix}}/tmp/proxy;
                fastcgi_temp_path {{prefix}}/tmp/fastcgi;
                uwsgi_temp_path {{prefix}}/tmp/uwsgi;
                scgi_temp_path {{prefix}}/tmp/scgi;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 1000000;
                upstream feeds_nodes { {{upstream}} keepalive 16; }
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    root {{staticDirectory}};
                    include feeds-locations.conf;
                }
            }
            """);
        var start = new ProcessStartInfo(Binary!)
        {
            ArgumentList = { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var front = new NginxFront(process, prefix, new Uri($"http://127.0.0.1:{port}"));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return front;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
                await front.DisposeAsync();
                throw new InvalidOperationException($"nginx did not listen within 10 s: {log}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGQUIT: nginx's graceful stop.
            await ExternalTools.RunAsync("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }
}
