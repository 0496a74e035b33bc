using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Core.Text;
using Feeds.Data.Posts;
using Feeds.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace Feeds.Benchmarks.Publishing;

/// <summary>
/// Publishing at scale, against the real service as a child process:
/// <list type="number">
/// <item>loads <c>posts</c> published posts over <c>tags</c> tags (1 to 3 each, popular tags more often) spread over five years;</item>
/// <item>starts the server, which finds every feed unrendered and rebuilds them all: the time until no feed is dirty;</item>
/// <item>one publish with two tags, 40 times: how long the service took to re-render its feeds (from its Debug log of each
///       regeneration run) and the time until the firehose and both tag feeds serve it under a new ETag
///       (what the service re-renders for it is counted by a test, <c>RegenerationScopeTests</c>);</item>
/// <item>readers fetching random tag feeds for a while: requests/s and the server's peak resident memory.</item>
/// </list>
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- scale [posts=100000] [tags=2000] [load seconds=10]</c>
/// </summary>
public static partial class ScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var postCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var tagCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var loadSeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var dataDirectory = Directory.CreateTempSubdirectory("feeds-scale-bench-").FullName;
        try
        {
            var loading = Stopwatch.StartNew();
            await LoadAsync(dataDirectory, postCount, tagCount);
            Console.WriteLine($"loaded {postCount:N0} posts over {tagCount:N0} tags in {loading.Elapsed.TotalSeconds:F1} s");

            var started = Stopwatch.StartNew();
            using var server = await ChildServer.StartAsync(dataDirectory, new Dictionary<string, string>
            {
                ["Logging__LogLevel__Feeds.Server.Publishing.FeedPublisher"] = "Debug",
                ["Logging__Console__FormatterName"] = "systemd",
            });
            var peak = Resident.Of(server);
            var feeds = 0L;
            while (await DirtyCountAsync(dataDirectory) is var dirty and > 0)
            {
                peak = peak.Max(Resident.Of(server));
                await Task.Delay(100);
            }

            feeds = await StoredDocumentCountAsync(dataDirectory);
            Console.WriteLine($"full rebuild from start: {feeds:N0} documents ({tagCount + 1:N0} feeds x 3 formats) in {started.Elapsed.TotalSeconds:F1} s; peak {peak}");

            using var api = new HttpClient { BaseAddress = server.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChildServer.Token);
            // Each publish on its own, as an author makes them: after the previous one's render has rested (paced
            // rendering rests at most half a second), so each is rendered at once.
            var visible = new List<double>();
            var rendered = new List<double>();
            for (var i = 0; i < Publishes; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(0.6));
                var logged = server.OutputLines.Count;
                visible.Add((await PublishAndWaitAsync(api, $"t{(i * 37) % tagCount}", $"t{(i * 53 + 1) % tagCount}")).TotalMilliseconds);
                rendered.Add(server.OutputLines.Skip(logged).Select(RunMilliseconds).Sum());
            }

            Console.WriteLine($"one publish (2 tags) -> its 3 feeds re-rendered: {Percentiles(rendered)} over {Publishes} publishes (target < 50 ms)");
            Console.WriteLine($"one publish (2 tags) -> its 3 feeds serve it, end to end: {Percentiles(visible)}");

            var tags = (await api.GetFromJsonAsync<JsonElement>("/api/tags")).EnumerateArray().Select(t => t.GetProperty("slug").GetString()!).ToArray();
            var (requests, loadPeak) = await ReadRandomTagFeedsAsync(server, tags, TimeSpan.FromSeconds(loadSeconds));
            Console.WriteLine($"readers on random tag feeds, {loadSeconds} s: {requests / loadSeconds:N0} req/s; peak {peak.Max(loadPeak)} (target < 300 MB)");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private const int Publishes = 40;

    /// <summary>How long a regeneration run took, from the service's Debug log line for it; 0 for any other line.</summary>
    private static double RunMilliseconds(string line) =>
        RunLogLine().Match(line) is { Success: true } match ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [System.Text.RegularExpressions.GeneratedRegex(@"Regenerated \d+ feeds in ([0-9.]+) ms")]
    private static partial System.Text.RegularExpressions.Regex RunLogLine();

    private static string Percentiles(List<double> values)
    {
        var sorted = values.Order().ToList();
        return $"median {sorted[sorted.Count / 2]:F0} ms, p95 {sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:F0} ms, max {sorted[^1]:F0} ms";
    }

    /// <summary>Writes the posts through the service's own store (with no feed hooks: the server renders everything at start).</summary>
    private static async Task LoadAsync(string dataDirectory, int postCount, int tagCount)
    {
        using var database = new SqliteDatabase(Path.Combine(dataDirectory, "feeds.db"));
        await database.InitializeAsync(CancellationToken.None);
        var store = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < postCount)
            {
                var random = new Random(i);
                var tags = Enumerable.Range(0, 1 + (i % 3)).Select(_ => $"t{PopularTag(random, tagCount)}").Distinct().ToList();
                var content = PostRules.Validate(new PostInput
                {
                    Url = $"https://example.com/{i}",
                    Title = $"Post {i} about {string.Join(" and ", tags)}",
                    Commentary = $"Commentary for post {i}, with *emphasis* and a [link](https://example.org/{i}). " + new string('x', random.Next(200, 900)),
                    Tags = tags,
                    PublishAt = now.AddMinutes(-(postCount - i) * (5.0 * 365 * 24 * 60 / postCount)),
                }, now, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));
                await store.CreateAsync(content, null, CancellationToken.None);
            }
        })).ToArray();
        await Task.WhenAll(workers);
    }

    /// <summary>Tag numbers skewed toward the low ones, as real tag use is: a few tags carry most posts.</summary>
    private static int PopularTag(Random random, int tagCount) => (int)(tagCount * Math.Pow(random.NextDouble(), 2.5));

    private static async Task<TimeSpan> PublishAndWaitAsync(HttpClient api, string tagA, string tagB)
    {
        string[] paths = ["/everything.atom", $"/tags/{tagA}.atom", $"/tags/{tagB}.atom"];
        var before = new Dictionary<string, string?>();
        foreach (var path in paths)
        {
            before[path] = (await api.GetAsync(path)).Headers.ETag?.Tag;
        }

        var started = Stopwatch.GetTimestamp();
        var response = await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/new/{Guid.NewGuid():N}", title = "Fresh", tags = new[] { tagA, tagB } });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var path in paths)
        {
            while (true)
            {
                using var feed = await api.GetAsync(path);
                if (feed.Headers.ETag?.Tag != before[path] && (await feed.Content.ReadAsStringAsync()).Contains(id, StringComparison.Ordinal))
                {
                    break;
                }

                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{path} did not show the new post");
                }

                await Task.Delay(1);
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<(long Requests, Resident Peak)> ReadRandomTagFeedsAsync(ChildServer server, string[] tags, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = server.BaseAddress };
        var requests = 0L;
        var peak = Resident.Of(server);
        using var stop = new CancellationTokenSource(duration);
        var readers = Enumerable.Range(0, 16).Select(reader => Task.Run(async () =>
        {
            var random = new Random(reader);
            string[] formats = ["atom", "rss", "json"];
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/tags/{tags[random.Next(tags.Length)]}.{formats[random.Next(3)]}");
                request.Headers.AcceptEncoding.ParseAdd(random.Next(2) == 0 ? "gzip" : "br");
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref requests);
            }
        })).ToList();
        while (!stop.IsCancellationRequested)
        {
            peak = peak.Max(Resident.Of(server));
            await Task.Delay(100);
        }

        await Task.WhenAll(readers);
        return (requests, peak);
    }

    private static async Task<long> DirtyCountAsync(string dataDirectory) => await ScalarAsync(dataDirectory, "select count(distinct feed_key) from feed_marks");

    private static async Task<long> StoredDocumentCountAsync(string dataDirectory) => await ScalarAsync(dataDirectory, "select count(*) from feed_documents");

    private static async Task<long> ScalarAsync(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "feeds.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
