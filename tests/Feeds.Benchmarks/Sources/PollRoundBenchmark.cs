extern alias server;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SourcePoller = server::Feeds.Server.Sources.SourcePoller;

namespace Feeds.Benchmarks.Sources;

/// <summary>
/// Load script for polling: the service in-process following N sources on a local upstream spread over twenty
/// loopback addresses (so the per-host limit applies as it would across real hosts), which answers 304 to all but
/// one in twenty conditional requests. It times one full polling round after a warm-up round, and measures
/// <c>/everything.atom</c> throughput while the round runs against idle (before and after it). Rounds are paced
/// by <c>Feeds:Sources:MaxPollsPerSecond</c> (default 100), so the round takes about N / 100 seconds.
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- poll-round [sources]</c>
/// </summary>
public static class PollRoundBenchmark
{
    private const int Hosts = 20;
    private const int ReaderConcurrency = 8;
    private static readonly TimeSpan IdleMeasurement = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        await using var upstream = await Upstream.StartAsync(Hosts);
        using var service = new InProcessServer(Directory.CreateTempSubdirectory("feeds-poll-bench-").FullName, new Dictionary<string, string>
        {
            ["Feeds:Sources:AllowPrivateNetworks"] = "true",
            // The benchmark runs the rounds itself; the sweep would only compete with it.
            ["Feeds:Sources:SweepInterval"] = "01:00:00",
        });
        using var api = service.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.Token);

        for (var i = 0; i < 50; i++)
        {
            (await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/{i}", title = $"Post {i}", commentary = "Some *commentary* here.", tags = new[] { "bench" } }))
                .EnsureSuccessStatusCode();
        }

        var opml = new StringBuilder("<opml version=\"2.0\"><body>");
        for (var i = 0; i < count; i++)
        {
            opml.Append(CultureInfo.InvariantCulture, $"<outline text=\"Feed {i}\" xmlUrl=\"{upstream.Url(i)}\"/>");
        }

        var imported = await api.PostAsync("/api/sources/import", new StringContent(opml.Append("</body></opml>").ToString(), Encoding.UTF8, "text/x-opml"));
        imported.EnsureSuccessStatusCode();
        Console.WriteLine($"followed {count} sources on {Hosts} loopback hosts: {await imported.Content.ReadAsStringAsync()}");

        // The import asks the polling job for a round, which reads every feed in full; the timed round comes after it.
        var warmUp = Stopwatch.StartNew();
        while (true)
        {
            var sources = await api.GetFromJsonAsync<JsonElement>("/api/sources");
            var checkedCount = sources.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("fetch").GetProperty("lastCheckedAt").ValueKind != JsonValueKind.Null);
            if (checkedCount == count)
            {
                break;
            }

            if (warmUp.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"the first round checked only {checkedCount} of {count} sources");
            }

            await Task.Delay(200);
        }

        Console.WriteLine($"first round by the polling job (every feed read in full): {warmUp.Elapsed.TotalSeconds:F2} s, measured through the API");
        var poller = service.Services.GetRequiredService<SourcePoller>();

        using var readers = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = ReaderConcurrency }) { BaseAddress = service.Address };
        await ReadFeedsAsync(readers, TimeSpan.FromSeconds(3), null);
        var idleBefore = await ReadFeedsAsync(readers, IdleMeasurement, null);

        upstream.Served = 0;
        upstream.Changed = 0;
        var timing = Stopwatch.StartNew();
        var roundTask = poller.PollDueAsync(DateTimeOffset.UtcNow.AddDays(4), CancellationToken.None);
        var during = await ReadFeedsAsync(readers, null, roundTask);
        var round = await roundTask;
        var elapsed = timing.Elapsed;
        // Other work on the machine moves throughput about, so idle is measured on both sides of the round.
        var idleAfter = await ReadFeedsAsync(readers, IdleMeasurement, null);
        var idle = (idleBefore + idleAfter) / 2;
        var ratio = during / idle;
        Console.WriteLine($"/everything.atom idle: {idleBefore:F0} requests/s before the round, {idleAfter:F0} after ({ReaderConcurrency} concurrent readers)");
        Console.WriteLine($"polling round: {round.Polled} sources ({upstream.Changed} answered 200 with a new item, the rest 304), " +
            $"{round.NewPosts} new posts, {round.Failed} failed, in {elapsed.TotalSeconds:F2} s (target < 30 s)");
        Console.WriteLine($"/everything.atom during the round: {during:F0} requests/s, {ratio:P0} of idle (target >= 70 %)");
        return elapsed < TimeSpan.FromSeconds(30) && ratio >= 0.7 && round.Polled == count ? 0 : 1;
    }

    /// <summary>Requests/s of concurrent readers, for <paramref name="duration"/> or until <paramref name="until"/> completes.</summary>
    private static async Task<double> ReadFeedsAsync(HttpClient client, TimeSpan? duration, Task? until)
    {
        using var stop = new CancellationTokenSource();
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        long completed = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, ReaderConcurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("/everything.atom", HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref completed);
            }
        })).ToList();
        if (until is not null)
        {
            await until;
            await stop.CancelAsync();
        }

        await Task.WhenAll(workers);
        return Interlocked.Read(ref completed) / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Feeds at <c>/feed/{n}</c> on 127.0.0.1 to 127.0.0.{hosts}: each answers a conditional request with 304, except
    /// that every twentieth feed has a new item in each round it is asked after the first.
    /// </summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Dictionary<int, int> _versions = [];
        private readonly Lock _lock = new();
        private string[] _baseUrls = [];
        private int _served;
        private int _changed;

        private Upstream(WebApplication app) => _app = app;

        public int Served { get => Volatile.Read(ref _served); set => Volatile.Write(ref _served, value); }

        public int Changed { get => Volatile.Read(ref _changed); set => Volatile.Write(ref _changed, value); }

        public string Url(int feed) => $"{_baseUrls[feed % _baseUrls.Length]}/feed/{feed}";

        public static async Task<Upstream> StartAsync(int hosts)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k =>
            {
                for (var i = 1; i <= hosts; i++)
                {
                    k.Listen(IPAddress.Parse($"127.0.0.{i}"), 0);
                }
            });
            var app = builder.Build();
            var upstream = new Upstream(app);
            app.Run(upstream.HandleAsync);
            await app.StartAsync();
            upstream._baseUrls = [.. app.Urls.Select(u => u.TrimEnd('/'))];
            return upstream;
        }

        private async Task HandleAsync(HttpContext context)
        {
            Interlocked.Increment(ref _served);
            var feed = int.Parse(context.Request.Path.Value!["/feed/".Length..], CultureInfo.InvariantCulture);
            int version;
            lock (_lock)
            {
                var asked = context.Request.Headers.IfNoneMatch.Count > 0;
                version = _versions.GetValueOrDefault(feed);
                if (asked && feed % 20 == 0)
                {
                    _versions[feed] = ++version;
                    Interlocked.Increment(ref _changed);
                }
                else if (asked && context.Request.Headers.IfNoneMatch == Etag(feed, version))
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
            }

            context.Response.Headers.ETag = Etag(feed, version);
            context.Response.ContentType = "application/rss+xml; charset=utf-8";
            await context.Response.WriteAsync(Document(feed, version));
        }

        private static string Etag(int feed, int version) => $"\"{feed}-{version}\"";

        private static string Document(int feed, int version)
        {
            var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Feed {feed}</title><link>https://feed{feed}.example/</link><description>bench</description>");
            var now = DateTimeOffset.UtcNow;
            for (var item = version + 10; item > version; item--)
            {
                // Items of later versions are dated now, so they are newer than the subscription and become posts.
                var date = item > 10 ? now : now.AddDays(-item);
                xml.Append(CultureInfo.InvariantCulture,
                    $"<item><guid>https://feed{feed}.example/{item}</guid><title>Item {item} of feed {feed}</title><link>https://feed{feed}.example/{item}</link><pubDate>{date:R}</pubDate><description>&lt;p&gt;Summary of item {item}.&lt;/p&gt;</description></item>");
            }

            return xml.Append("</channel></rss>").ToString();
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }
}
