using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Benchmarks.WebSub;

/// <summary>
/// Load script for WebSub distribution against the real service, run as a child process on loopback, with subscribers
/// that are real HTTP servers on 20 loopback hosts (one port each):
/// <list type="number">
/// <item>publish → first distribution attempt over publishes 0.6 s apart to one subscriber (target p99 &lt; 200 ms), beside
/// publish → first webhook attempt of the same publishes, the anchor measured in the same run;</item>
/// <item>one publish distributed to 1,000 subscribers on the 20 hosts, 100 of them hanging until the 15 s timeout
/// (target: p99 of the 900 healthy ones &lt; 2 s), with the server's resident memory before and after.</item>
/// </list>
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- websub [publishes] [subscribers]</c>
/// </summary>
public static class WebSubDistributionBenchmark
{
    private const int Hosts = 20;

    private static readonly TimeSpan LonePublishGap = TimeSpan.FromMilliseconds(600);

    public static async Task<int> RunAsync(string[] args)
    {
        var publishes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var subscribers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;

        var sites = new List<Subscriber>();
        for (var i = 0; i < Hosts; i++)
        {
            sites.Add(await Subscriber.StartAsync());
        }

        try
        {
            var dataDirectory = Directory.CreateTempSubdirectory("feeds-websub-bench-").FullName;
            using var server = await ChildServer.StartAsync(dataDirectory, new Dictionary<string, string>
            {
                ["Feeds__WebSub__AllowPrivateNetworks"] = "true",
                ["Feeds__WebSub__RequestsPerMinutePerCallbackHost"] = "100000",
                ["Feeds__Webhooks__AllowPrivateNetworks"] = "true",
            });
            using var api = new HttpClient { BaseAddress = server.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChildServer.Token);
            var topic = new Uri(server.BaseAddress, "everything.atom").AbsoluteUri;

            // 1. Latency, each publish timed from the API call to the first byte at the subscriber and at the webhook endpoint.
            var latency = sites[0];
            await SubscribeAsync(api, topic, latency.Url("latency"));
            await WaitActiveAsync(api, 1);
            (await api.PostAsJsonAsync("/api/webhooks", new { url = latency.Url("hook") })).EnsureSuccessStatusCode();
            for (var i = 0; i < 20; i++)
            {
                await PublishAndWaitAsync(api, latency, $"warm-up {i}");
            }

            var websub = new List<double>(publishes);
            var webhooks = new List<double>(publishes);
            for (var i = 0; i < publishes; i++)
            {
                // Publishes a person makes, each alone: regeneration rests after a run for up to half a second under a
                // stream of writes, which would time the pacing of a burst rather than the path of one publish.
                await Task.Delay(LonePublishGap);
                var (distribution, webhook) = await PublishAndWaitAsync(api, latency, $"latency {i}");
                websub.Add(distribution.TotalMilliseconds);
                webhooks.Add(webhook.TotalMilliseconds);
            }

            websub.Sort();
            webhooks.Sort();
            Console.WriteLine($"publish -> first WebSub distribution attempt, {publishes} publishes: p50 {Percentile(websub, 0.50):F1} ms, " +
                $"p95 {Percentile(websub, 0.95):F1} ms, p99 {Percentile(websub, 0.99):F1} ms, max {websub[^1]:F1} ms (target p99 < 200 ms)");
            Console.WriteLine($"anchor, publish -> first webhook attempt of the same publishes: p50 {Percentile(webhooks, 0.50):F1} ms, " +
                $"p99 {Percentile(webhooks, 0.99):F1} ms; WebSub/webhook p99 ratio {Percentile(websub, 0.99) / Percentile(webhooks, 0.99):F2}");

            // 2. Fan-out: a tenth of the subscribers on every host hang until the sender's timeout.
            var subscribe = Stopwatch.StartNew();
            var healthy = new List<(Subscriber Site, string Path)>();
            for (var i = 0; i < subscribers; i++)
            {
                var site = sites[i % Hosts];
                var path = i % 10 == 0 ? $"hang/{i}" : $"ok/{i}";
                await SubscribeAsync(api, topic, site.Url(path));
                if (i % 10 != 0)
                {
                    healthy.Add((site, "/" + path));
                }
            }

            await WaitActiveAsync(api, subscribers + 1);
            Console.WriteLine($"subscribed and verified {subscribers} callbacks on {Hosts} hosts in {subscribe.Elapsed.TotalSeconds:F1} s; " +
                $"server resident {server.ResidentMegabytes:F0} MB");

            var started = Stopwatch.GetTimestamp();
            await PublishAsync(api, "fan-out");
            var all = await WaitAsync(() => healthy.All(h => h.Site.ArrivalOf(h.Path, "fan-out") is not null), TimeSpan.FromSeconds(60));
            var arrivals = healthy.Select(h => h.Site.ArrivalOf(h.Path, "fan-out")).OfType<long>()
                .Select(at => Stopwatch.GetElapsedTime(started, at).TotalMilliseconds).Order().ToList();
            var p99 = Percentile(arrivals, 0.99);
            Console.WriteLine($"one publish to {subscribers} subscribers ({subscribers / 10} hanging until timeout): {arrivals.Count}/{healthy.Count} healthy " +
                $"subscribers hold the new document{(all ? "" : " (INCOMPLETE)")}: p50 {Percentile(arrivals, 0.50):F0} ms, p99 {p99:F0} ms, " +
                $"last {arrivals[^1]:F0} ms (target p99 < 2,000 ms); server resident {server.ResidentMegabytes:F0} MB, peak {server.PeakResidentMegabytes:F0} MB");

            return Percentile(websub, 0.99) < 200 && all && p99 < 2000 ? 0 : 1;
        }
        finally
        {
            foreach (var site in sites)
            {
                await site.DisposeAsync();
            }
        }
    }

    private static async Task<(TimeSpan Distribution, TimeSpan Webhook)> PublishAndWaitAsync(HttpClient api, Subscriber site, string title)
    {
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(api, title);
        if (!await WaitAsync(() => site.ArrivalOf("/latency", title) is not null && site.ArrivalOf("/hook", title) is not null, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"no distribution or webhook for '{title}'");
        }

        return (Stopwatch.GetElapsedTime(started, site.ArrivalOf("/latency", title)!.Value), Stopwatch.GetElapsedTime(started, site.ArrivalOf("/hook", title)!.Value));
    }

    private static async Task PublishAsync(HttpClient api, string title) =>
        (await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/{Guid.NewGuid():N}", title, tags = new[] { "bench" } })).EnsureSuccessStatusCode();

    private static async Task SubscribeAsync(HttpClient api, string topic, string callback) =>
        (await api.PostAsync("/websub", new FormUrlEncodedContent([new("hub.mode", "subscribe"), new("hub.topic", topic), new("hub.callback", callback)]))).EnsureSuccessStatusCode();

    private static async Task WaitActiveAsync(HttpClient api, int count)
    {
        if (!await WaitAsync(async () =>
            {
                var list = await api.GetFromJsonAsync<JsonElement>("/api/websub/subscriptions");
                return list.GetProperty("topics").EnumerateArray().Sum(t => t.GetProperty("active").GetInt32()) >= count;
            }, TimeSpan.FromSeconds(120)))
        {
            throw new TimeoutException($"fewer than {count} subscriptions were verified");
        }
    }

    private static Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout) => WaitAsync(() => Task.FromResult(condition()), timeout);

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(2);
        }

        return true;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// One loopback host of subscribers: confirms every verification, answers distributions under <c>hang/</c> never and
    /// the rest with 204 at once, and notes when each path first received a body naming each benchmark title.
    /// </summary>
    private sealed class Subscriber : LoopbackSite
    {
        private static readonly string[] Titles = ["fan-out", "latency ", "warm-up "];

        private readonly ConcurrentDictionary<(string Path, string Title), long> _arrivals = new();

        private Subscriber()
        {
        }

        public static async Task<Subscriber> StartAsync()
        {
            var site = new Subscriber();
            await site.ListenAsync();
            return site;
        }

        public long? ArrivalOf(string path, string title) => _arrivals.TryGetValue((path, title), out var at) ? at : null;

        protected override async Task HandleAsync(HttpContext context)
        {
            var arrived = Stopwatch.GetTimestamp();
            var path = context.Request.Path.Value ?? "/";
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.WriteAsync(context.Request.Query["hub.challenge"].ToString(), context.RequestAborted);
                return;
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
            foreach (var title in TitlesIn(text))
            {
                _arrivals.TryAdd((path, title), arrived);
            }

            if (path.StartsWith("/hang/", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        /// <summary>The benchmark titles a body names: a document holds many posts, a webhook one.</summary>
        private static IEnumerable<string> TitlesIn(string text)
        {
            if (text.Contains("fan-out", StringComparison.Ordinal))
            {
                yield return "fan-out";
            }

            foreach (var prefix in Titles.Skip(1))
            {
                for (var at = text.IndexOf(prefix, StringComparison.Ordinal); at >= 0; at = text.IndexOf(prefix, at + prefix.Length, StringComparison.Ordinal))
                {
                    var end = at + prefix.Length;
                    while (end < text.Length && char.IsAsciiDigit(text[end]))
                    {
                        end++;
                    }

                    yield return text[at..end];
                }
            }
        }
    }
}
