using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Benchmarks.Webhooks;

/// <summary>
/// Load script for webhook delivery against the real service, run as a child process on loopback with a local receiver:
/// <list type="number">
/// <item>publish → first delivery attempt latency over sequential publishes to one endpoint (target p99 &lt; 200 ms);</item>
/// <item>one publish fanned out to 1,000 endpoints of which 10 % hang until the 15 s timeout (target: the other 900 within 5 s).</item>
/// </list>
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- webhooks [publishes] [endpoints]</c>
/// </summary>
public static class WebhookDeliveryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var publishes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var endpoints = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var hanging = endpoints / 10;

        await using var receiver = await Receiver.StartAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("feeds-webhook-bench-").FullName;
        using var server = await ChildServer.StartAsync(dataDirectory, new Dictionary<string, string> { ["Feeds__Webhooks__AllowPrivateNetworks"] = "true" });
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChildServer.Token);

        // 1. Latency: one endpoint, publishes one after another, each timed from the API call to the receiver's first byte.
        var single = await SubscribeAsync(api, receiver.Url("latency/0"));
        for (var i = 0; i < 20; i++)
        {
            await PublishAndWaitAsync(api, receiver, $"warm-up {i}");
        }

        var latencies = new List<double>(publishes);
        for (var i = 0; i < publishes; i++)
        {
            latencies.Add((await PublishAndWaitAsync(api, receiver, $"latency {i}")).TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine($"publish -> first delivery attempt, {publishes} publishes: " +
            $"p50 {Percentile(latencies, 0.50):F1} ms, p95 {Percentile(latencies, 0.95):F1} ms, " +
            $"p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms (target p99 < 200 ms)");
        (await api.DeleteAsync($"/api/webhooks/{single}")).EnsureSuccessStatusCode();

        // 2. Fan-out: endpoints on the same local receiver, every tenth one hanging until the sender's timeout.
        var subscribe = Stopwatch.StartNew();
        for (var i = 0; i < endpoints; i++)
        {
            await SubscribeAsync(api, receiver.Url(i % 10 == 0 ? $"hang/{i}" : $"ok/{i}"));
        }

        Console.WriteLine($"subscribed {endpoints} endpoints in {subscribe.Elapsed.TotalSeconds:F1} s");
        var healthy = endpoints - hanging;
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(api, "fan-out");
        var published = Stopwatch.GetElapsedTime(started);
        var allHealthy = await receiver.WaitAsync(r => r.CountFor("ok/", "fan-out") >= healthy, TimeSpan.FromSeconds(60));
        var healthyDone = Stopwatch.GetElapsedTime(started);
        await receiver.WaitAsync(r => r.CountFor("hang/", "fan-out") >= hanging, TimeSpan.FromSeconds(10));
        var hangingReached = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"fan-out of one publish to {endpoints} endpoints ({hanging} hanging until timeout): " +
            $"publish call {published.TotalMilliseconds:F0} ms, {receiver.CountFor("ok/", "fan-out")}/{healthy} healthy endpoints reached in " +
            $"{healthyDone.TotalSeconds:F2} s{(allHealthy ? "" : " (INCOMPLETE)")}, all {receiver.CountFor("hang/", "fan-out")}/{hanging} hanging ones attempted by " +
            $"{hangingReached.TotalSeconds:F2} s (target < 5 s)");

        var p99 = Percentile(latencies, 0.99);
        return p99 < 200 && allHealthy && healthyDone < TimeSpan.FromSeconds(5) ? 0 : 1;
    }

    private static async Task<TimeSpan> PublishAndWaitAsync(HttpClient api, Receiver receiver, string title)
    {
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(api, title);
        if (!await receiver.WaitAsync(r => r.FirstArrival(title) is not null, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"no delivery for '{title}'");
        }

        return Stopwatch.GetElapsedTime(started, receiver.FirstArrival(title)!.Value);
    }

    private static async Task PublishAsync(HttpClient api, string title)
    {
        var response = await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/{Guid.NewGuid():N}", title, tags = new[] { "bench" } });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string> SubscribeAsync(HttpClient api, string url)
    {
        var response = await api.PostAsJsonAsync("/api/webhooks", new { url });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>A Kestrel receiver on 127.0.0.1: paths under <c>hang/</c> never answer; the rest answer 204 at once.</summary>
    private sealed class Receiver : LoopbackSite
    {
        private readonly ConcurrentDictionary<string, long> _firstArrival = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _countByPrefixAndTitle = new(StringComparer.Ordinal);

        private Receiver()
        {
        }

        public long? FirstArrival(string title) => _firstArrival.TryGetValue(title, out var at) ? at : null;

        public int CountFor(string prefix, string title) => _countByPrefixAndTitle.GetValueOrDefault(prefix + title);

        public static async Task<Receiver> StartAsync()
        {
            var receiver = new Receiver();
            await receiver.ListenAsync();
            return receiver;
        }

        public async Task<bool> WaitAsync(Func<Receiver, bool> condition, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (!condition(this))
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    return false;
                }

                await Task.Delay(1);
            }

            return true;
        }

        protected override async Task HandleAsync(HttpContext context)
        {
            var arrived = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var title = body.RootElement.GetProperty("data").GetProperty("title").GetString() ?? "";
            _firstArrival.TryAdd(title, arrived);
            var path = context.Request.Path.Value ?? "/";
            var prefix = path.StartsWith("/hang/", StringComparison.Ordinal) ? "hang/" : "ok/";
            _countByPrefixAndTitle.AddOrUpdate(prefix + title, 1, (_, n) => n + 1);
            if (prefix == "hang/")
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }
}
