using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feeds.Core.ActivityPub;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Benchmarks.ActivityPub;

/// <summary>
/// Load script for ActivityPub delivery against the real service as a child process, with fediverse servers that are
/// real HTTP servers on 50 loopback hosts (one port each), each with its actors and a shared inbox:
/// <list type="number">
/// <item>publish → first delivery attempt over publishes 0.6 s apart to one follower (target p99 &lt; 200 ms), beside
/// publish → first webhook attempt of the same publishes, the anchor measured in the same run;</item>
/// <item>one publish to 1,000 followers on the 50 hosts (so 50 shared inboxes), 10 % of the hosts hanging (target: p99
/// of the healthy inboxes within 5 s).</item>
/// </list>
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- activitypub [publishes] [followers]</c>
/// </summary>
public static class ActivityPubDeliveryBenchmark
{
    private const int Hosts = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var publishes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var followers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var peers = new List<Peer>();
        for (var i = 0; i < Hosts + 1; i++)
        {
            peers.Add(await Peer.StartAsync(hang: i > 0 && i <= Hosts / 10));
        }

        try
        {
            var dataDirectory = Directory.CreateTempSubdirectory("feeds-ap-bench-").FullName;
            using var server = await ChildServer.StartAsync(dataDirectory, new Dictionary<string, string>
            {
                ["Feeds__ActivityPub__Enabled"] = "true",
                ["Feeds__ActivityPub__AllowPrivateNetworks"] = "true",
                ["Feeds__ActivityPub__InboxRequestsPerMinutePerHost"] = "100000",
                ["Feeds__Webhooks__AllowPrivateNetworks"] = "true",
            });
            using var api = new HttpClient { BaseAddress = server.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChildServer.Token);
            var siteActor = new Uri(server.BaseAddress, "/ap/actor").AbsoluteUri;
            var sharedInbox = new Uri(server.BaseAddress, "/ap/inbox").AbsoluteUri;

            // 1. Latency: one follower on its own host, and a webhook to the same host as the anchor.
            var latency = peers[0];
            await latency.FollowAsync(sharedInbox, "reader", siteActor);
            (await api.PostAsJsonAsync("/api/webhooks", new { url = latency.Url("hook") })).EnsureSuccessStatusCode();
            await Task.Delay(1000);
            latency.Reset();
            var apLatencies = new List<double>();
            var hookLatencies = new List<double>();
            for (var i = 0; i < publishes; i++)
            {
                var started = Stopwatch.GetTimestamp();
                (await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/l{i}", title = $"Latency {i}", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
                var (ap, hook) = await latency.WaitBothAsync(TimeSpan.FromSeconds(10));
                apLatencies.Add((ap - started) * 1000.0 / Stopwatch.Frequency);
                hookLatencies.Add((hook - started) * 1000.0 / Stopwatch.Frequency);
                latency.Reset();
                await Task.Delay(600);
            }

            // 2. Fan-out: followers spread over the hosts, a tenth of which hang.
            var fanOut = peers.Skip(1).ToList();
            var follows = Enumerable.Range(0, followers).Select(i => fanOut[i % fanOut.Count].FollowAsync(sharedInbox, $"user{i}", siteActor));
            foreach (var chunk in follows.Chunk(50))
            {
                await Task.WhenAll(chunk);
            }

            await Task.Delay(2000);
            foreach (var peer in fanOut)
            {
                peer.Reset();
            }

            var publishedAt = Stopwatch.GetTimestamp();
            (await api.PostAsJsonAsync("/api/posts", new { url = "https://example.com/fan-out", title = "Fan-out", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
            var healthy = fanOut.Where(p => !p.Hangs).ToList();
            var deadline = Stopwatch.StartNew();
            while (healthy.Any(p => p.FirstCreate is null) && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            var arrivals = healthy.Select(p => p.FirstCreate is { } at ? (at - publishedAt) * 1000.0 / Stopwatch.Frequency : double.PositiveInfinity).ToList();
            Console.WriteLine($"activitypub publish -> first delivery attempt ({publishes} publishes): p50 {Percentile(apLatencies, 50):F1} ms, p99 {Percentile(apLatencies, 99):F1} ms");
            Console.WriteLine($"webhook publish -> first attempt (anchor, same publishes): p50 {Percentile(hookLatencies, 50):F1} ms, p99 {Percentile(hookLatencies, 99):F1} ms; ratio p99 {Percentile(apLatencies, 99) / Percentile(hookLatencies, 99):F2}x");
            Console.WriteLine($"fan-out to {followers} followers on {fanOut.Count} hosts ({fanOut.Count(p => p.Hangs)} hanging): {healthy.Count(p => p.FirstCreate is not null)}/{healthy.Count} healthy shared inboxes reached; p50 {Percentile(arrivals, 50):F1} ms, p99 {Percentile(arrivals, 99):F1} ms, max {arrivals.Max():F1} ms; Creates per healthy inbox {healthy.Average(p => p.Creates):F2}");
            return 0;
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }

    private static double Percentile(IReadOnlyList<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A fediverse server: actors at <c>/users/{name}</c> sharing one key, a shared inbox at <c>/inbox</c>.</summary>
    private sealed class Peer : LoopbackSite
    {
        private readonly RSA _key = RSA.Create(2048);
        private readonly HttpClient _client = new();
        private long _firstCreate;
        private long _firstHook;
        private int _creates;

        public bool Hangs { get; private init; }

        public long? FirstCreate => Interlocked.Read(ref _firstCreate) is 0 ? null : Interlocked.Read(ref _firstCreate);

        public int Creates => Volatile.Read(ref _creates);

        public static async Task<Peer> StartAsync(bool hang)
        {
            var peer = new Peer { Hangs = hang };
            await peer.ListenAsync();
            return peer;
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _firstCreate, 0);
            Interlocked.Exchange(ref _firstHook, 0);
            Volatile.Write(ref _creates, 0);
        }

        public async Task<(long Ap, long Hook)> WaitBothAsync(TimeSpan timeout)
        {
            var wait = Stopwatch.StartNew();
            while ((Interlocked.Read(ref _firstCreate) == 0 || Interlocked.Read(ref _firstHook) == 0) && wait.Elapsed < timeout)
            {
                await Task.Delay(1);
            }

            return (Interlocked.Read(ref _firstCreate), Interlocked.Read(ref _firstHook));
        }

        public async Task FollowAsync(string inbox, string name, string target)
        {
            var body = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["id"] = Url($"users/{name}#follow"),
                ["type"] = "Follow",
                ["actor"] = Url($"users/{name}"),
                ["object"] = target,
            }.ToJsonString());
            var url = new Uri(inbox);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
            var date = TimeProvider.System.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
            var digest = HttpSignature.Digest(body);
            request.Headers.TryAddWithoutValidation("Date", date);
            request.Headers.TryAddWithoutValidation("Digest", digest);
            request.Headers.TryAddWithoutValidation("Signature", HttpSignature.Sign(_key, Url($"users/{name}#main-key"), "POST", url.PathAndQuery,
                HttpSignature.PostHeaders, h => h switch { "host" => url.Authority, "date" => date, "digest" => digest, "content-type" => "application/activity+json", _ => null }));
            using var response = await _client.SendAsync(request);
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"follow of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        protected override async Task HandleAsync(HttpContext context)
        {
            var path = context.Request.Path.Value ?? "/";
            if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith("/users/", StringComparison.Ordinal))
            {
                var id = Url(path);
                context.Response.ContentType = "application/activity+json";
                await context.Response.WriteAsync(new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "Person",
                    ["inbox"] = id + "/inbox",
                    ["endpoints"] = new JsonObject { ["sharedInbox"] = Url("inbox") },
                    ["publicKey"] = new JsonObject { ["id"] = id + "#main-key", ["owner"] = id, ["publicKeyPem"] = _key.ExportSubjectPublicKeyInfoPem() },
                }.ToJsonString());
                return;
            }

            var now = Stopwatch.GetTimestamp();
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (path == "/hook")
            {
                Interlocked.CompareExchange(ref _firstHook, now, 0);
            }
            else if (body.Contains("\"type\":\"Create\"", StringComparison.Ordinal))
            {
                Interlocked.CompareExchange(ref _firstCreate, now, 0);
                Interlocked.Increment(ref _creates);
                if (Hangs)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                }
            }

            context.Response.StatusCode = 202;
        }
    }
}
