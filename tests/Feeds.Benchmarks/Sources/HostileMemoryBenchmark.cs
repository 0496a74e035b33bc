using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Feeds.Benchmarks.Sources;

/// <summary>
/// Memory under hostile upstreams, against the real service as a child process: it follows four feeds on a loopback
/// upstream while they are healthy, then the upstream turns them into a 20,000-item feed (about 8 MB, under the body
/// limit, so it reaches the parser), a 12 MiB chunked body, a gzip bomb (1 GiB of spaces in 1 MB) and a slow drip
/// (a byte a second until the fetch times out), and the service refreshes them one after another. The server's
/// resident set (<c>/proc/{pid}/status</c> <c>VmRSS</c>) is sampled every 100 ms through the sequence and for a minute
/// after it; the peak is <c>VmHWM</c>. Passes when the peak stays under 250 MiB and the resident set a minute after
/// the last refresh is back within 25 MiB of where it started.
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- hostile-memory [settle seconds=60] [many huge bomb drip]</c>
/// (naming feeds refreshes only those, to see what each costs).
/// </summary>
public static class HostileMemoryBenchmark
{
    private const double PeakLimitMegabytes = 250;
    private const double SettledMarginMegabytes = 25;
    private const int ManyItems = 20_000;
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(string[] args)
    {
        var settle = TimeSpan.FromSeconds(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60);
        var dataDirectory = Directory.CreateTempSubdirectory("feeds-hostile-bench-").FullName;
        try
        {
            await using var upstream = await HostileUpstream.StartAsync();
            using var server = await ChildServer.StartAsync(dataDirectory, new Dictionary<string, string>
            {
                ["Feeds__Sources__AllowPrivateNetworks"] = "true",
                // The benchmark refreshes the sources itself; the sweep would poll them again while it measures.
                ["Feeds__Sources__SweepInterval"] = "01:00:00",
                ["Logging__LogLevel__Feeds.Server.Sources.MemoryReclaimer"] = "Debug",
                ["Logging__Console__FormatterName"] = "systemd",
            });
            using var api = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChildServer.Token);

            string[] names = args.Length > 1 ? args[1..] : ["many", "huge", "bomb", "drip"];
            var ids = new Dictionary<string, long>();
            foreach (var name in names)
            {
                var response = await api.PostAsJsonAsync("/api/sources", new { url = upstream.Url(name), intervalMinutes = 60 });
                response.EnsureSuccessStatusCode();
                ids[name] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            }

            // A few seconds at rest, so the start-up and the first reads are behind the baseline.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var before = server.ResidentMegabytes;
            Console.WriteLine($"following {names.Length} sources on {upstream.BaseUrl}; server resident {before:F0} MB before the sequence (peak so far {server.PeakResidentMegabytes:F0} MB)");

            upstream.TurnHostile();
            using var sampling = new CancellationTokenSource();
            var samples = new List<(double Seconds, double Megabytes)>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    lock (samples)
                    {
                        samples.Add((clock.Elapsed.TotalSeconds, server.ResidentMegabytes));
                    }

                    await Task.Delay(Sample, CancellationToken.None);
                }
            });

            foreach (var name in names)
            {
                var started = clock.Elapsed;
                var result = await (await api.PostAsync($"/api/sources/{ids[name]}/refresh", null)).Content.ReadFromJsonAsync<JsonElement>();
                Console.WriteLine($"{name,-5} {result.GetProperty("status").GetString()} in {(clock.Elapsed - started).TotalSeconds:F1} s " +
                    $"({result.GetProperty("error").GetString()}); resident {server.ResidentMegabytes:F0} MB");
            }

            var sequenceEnd = clock.Elapsed.TotalSeconds;
            await Task.Delay(settle);
            await sampling.CancelAsync();
            await sampler;

            var peak = server.PeakResidentMegabytes;
            var sequencePeak = samples.Where(s => s.Seconds <= sequenceEnd).Max(s => s.Megabytes);
            var settled = server.ResidentMegabytes;
            Console.WriteLine($"sequence took {sequenceEnd:F1} s; resident peak sampled {sequencePeak:F0} MB, VmHWM {peak:F0} MB (target < {PeakLimitMegabytes:F0} MB)");
            foreach (var after in (int[])[0, 5, 10, 20, 30, 45, 60])
            {
                if (after <= settle.TotalSeconds)
                {
                    var at = samples.LastOrDefault(s => s.Seconds <= sequenceEnd + after);
                    Console.WriteLine($"  {after,2} s after the sequence: {at.Megabytes:F0} MB");
                }
            }

            foreach (var line in server.OutputLines.Where(l => l.Contains("Collected after a large fetch", StringComparison.Ordinal)))
            {
                Console.WriteLine($"  server: {line}");
            }

            var backAt = samples.FirstOrDefault(s => s.Seconds >= sequenceEnd && s.Megabytes <= before + SettledMarginMegabytes);
            Console.WriteLine(backAt == default
                ? $"resident {settled:F0} MB {settle.TotalSeconds:F0} s after the sequence; not back within {SettledMarginMegabytes:F0} MB of {before:F0} MB"
                : $"resident {settled:F0} MB {settle.TotalSeconds:F0} s after the sequence; back within {SettledMarginMegabytes:F0} MB of {before:F0} MB {backAt.Seconds - sequenceEnd:F1} s after it");
            return peak < PeakLimitMegabytes && settled <= before + SettledMarginMegabytes ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>An upstream on 127.0.0.1 whose four feeds are healthy until <see cref="TurnHostile"/>.</summary>
    private sealed class HostileUpstream : IAsyncDisposable
    {
        private const string Start = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>hostile</title><link>https://hostile.example/</link><description>d</description>";

        private readonly WebApplication _app;
        private readonly byte[] _many = ManyItemsFeed();
        private readonly byte[] _bomb = GzipBomb();
        private volatile bool _hostile;

        private HostileUpstream(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public string Url(string name) => $"{BaseUrl}/{name}";

        public void TurnHostile() => _hostile = true;

        public static async Task<HostileUpstream> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var upstream = new HostileUpstream(app);
            app.Run(upstream.HandleAsync);
            await app.StartAsync();
            upstream.BaseUrl = app.Urls.First().TrimEnd('/');
            return upstream;
        }

        private async Task HandleAsync(HttpContext context)
        {
            var name = context.Request.Path.Value!.TrimStart('/');
            context.Response.ContentType = "application/rss+xml; charset=utf-8";
            var body = context.Response.Body;
            var aborted = context.RequestAborted;
            try
            {
                if (!_hostile)
                {
                    await context.Response.WriteAsync(Start + "<item><guid>first</guid><title>First</title><link>https://hostile.example/first</link></item></channel></rss>", aborted);
                    return;
                }

                switch (name)
                {
                    case "many":
                        context.Response.ContentLength = _many.Length;
                        await body.WriteAsync(_many, aborted);
                        break;
                    case "huge":
                        // Chunked: no Content-Length to refuse it by, so the reader finds out as it counts.
                        await body.WriteAsync(Encoding.UTF8.GetBytes(Start), aborted);
                        var padding = Encoding.UTF8.GetBytes("<!--" + new string('x', (64 * 1024) - 7) + "-->");
                        for (var written = 0; written < 12 * 1024 * 1024; written += padding.Length)
                        {
                            await body.WriteAsync(padding, aborted);
                        }

                        break;
                    case "bomb":
                        context.Response.Headers.ContentEncoding = "gzip";
                        context.Response.ContentLength = _bomb.Length;
                        await body.WriteAsync(_bomb, aborted);
                        break;
                    case "drip":
                        await body.WriteAsync(Encoding.UTF8.GetBytes(Start), aborted);
                        for (var i = 0; i < 600; i++)
                        {
                            await body.WriteAsync(" "u8.ToArray(), aborted);
                            await body.FlushAsync(aborted);
                            await Task.Delay(1000, aborted);
                        }

                        break;
                    default:
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        }

        /// <summary>20,000 items of about 400 bytes each: a document a real site could publish, only far too long.</summary>
        private static byte[] ManyItemsFeed()
        {
            var xml = new StringBuilder(Start);
            var date = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < ManyItems; i++)
            {
                xml.Append(CultureInfo.InvariantCulture,
                    $"<item><guid>https://hostile.example/{i}</guid><title>Item {i} of a feed that never ends</title><link>https://hostile.example/{i}</link><pubDate>{date.AddMinutes(-i):R}</pubDate><description>&lt;p&gt;The summary of item {i}, long enough to look like a real one: a sentence or two about it.&lt;/p&gt;</description></item>");
            }

            return Encoding.UTF8.GetBytes(xml.Append("</channel></rss>").ToString());
        }

        /// <summary>1 GiB of spaces after the start of a feed, gzip-compressed to about a megabyte.</summary>
        private static byte[] GzipBomb()
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(Start));
                var spaces = new byte[1024 * 1024];
                spaces.AsSpan().Fill((byte)' ');
                for (var i = 0; i < 1024; i++)
                {
                    gzip.Write(spaces);
                }
            }

            return compressed.ToArray();
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }
}
