using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Core.Sources;
using Feeds.Core.Text;
using Feeds.Data.Sqlite;
using Feeds.Data;
using Feeds.Data.Posts;
using Feeds.Data.Sources;

namespace Feeds.Benchmarks.Desk;

/// <summary>
/// The desk at scale: 100,000 published posts over 2,000 tags and 10,000 drafts (9,000 from 50 sources, 1,000 the
/// author's own), served in-process on Kestrel to a signed-in session, one request at a time. Each desk page is timed
/// over HTTP on loopback (so the figures include the connection, and overstate the server's time a little), in rounds
/// alternating with a public permalink page at the same scale, the anchor of the same run. The first tag suggestion
/// after a change of the posts may wait for every tag's count to be read again; it is timed apart.
/// </summary>
internal static partial class DeskBenchmark
{
    private const string Password = "benchmark password";

    private static readonly DateTimeOffset FirstPost = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary><c>desk [POSTS=100000] [DRAFTS=10000] [REQUESTS=400] [ROUNDS=3] [CASE]</c>, CASE a part of the names of the pages to time beside the anchor</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var postCount = Argument(args, 0, 100_000);
        var draftCount = Argument(args, 1, 10_000);
        var requests = Argument(args, 2, 400);
        var rounds = Argument(args, 3, 3);
        var only = args.Length > 4 ? args[4] : "";
        const int tagCount = 2_000;

        var data = Path.Combine(Path.GetTempPath(), "feeds-desk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var load = Stopwatch.StartNew();
        var sourceIds = await LoadAsync(data, postCount, draftCount, tagCount);
        Console.WriteLine($"loaded {postCount:N0} posts over {tagCount:N0} tags and {draftCount:N0} drafts in {load.Elapsed.TotalSeconds:F0} s");

        await using var host = new InProcessServer(data);
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = host.Address };
        await SignInAsync(client);
        Console.WriteLine($"start-up work (the first render of every feed) done after {(await QuietAfterStartAsync()).TotalSeconds:F0} s");

        var duplicate = Uri.EscapeDataString($"HTTPS://EXAMPLE.COM/{postCount / 2}/?utm_source=feed");
        var deepCursor = await CursorAfterAsync(client, pages: 20);
        var permalink = new Uri((await client.GetFromJsonAsync<System.Text.Json.JsonElement>(
            "/api/posts?limit=1", CancellationToken.None)).GetProperty("items")[0].GetProperty("permalink").GetString()!).AbsolutePath;
        var cases = new (string Name, string Path)[]
        {
            ("anchor: a permalink page", permalink),
            ("drafts queue, first page", "/desk/drafts"),
            ("drafts queue, one source", $"/desk/drafts?source={sourceIds[7]}"),
            ("drafts queue, 21st page", "/desk/drafts?before=" + Uri.EscapeDataString(deepCursor)),
            ("compose with the duplicate check", $"/desk/new?url={duplicate}&title=Again&text=quoted"),
            ("duplicate check alone (script)", $"/desk/api/links?url={duplicate}"),
            ("tag autocomplete 't1' (111 tags)", "/desk/api/tags?q=t1"),
            ("tag autocomplete 't' (every tag)", "/desk/api/tags?q=t"),
        }.Where((c, i) => i == 0 || c.Name.Contains(only, StringComparison.Ordinal)).ToArray();

        foreach (var (_, path) in cases)
        {
            for (var i = 0; i < 30; i++)
            {
                await GetAsync(client, path);
            }
        }

        // Wall-clock times on a shared machine are mostly waits for a core; the process's CPU time per request (server
        // and client together, in one process) is the figure that load does not move.
        var timings = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = cases.ToDictionary(c => c.Name, _ => TimeSpan.Zero);
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, path) in cases)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                for (var i = 0; i < requests / rounds; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await GetAsync(client, path);
                    timings[name].Add(clock.Elapsed.TotalMilliseconds);
                }

                process.Refresh();
                cpu[name] += process.TotalProcessorTime - cpuBefore;
            }
        }

        // A change of the posts has every tag's count read again: in the background soon after it, or by a suggestion
        // asked before that read is done. Timed at once after the change, and after an author's pause (the compose
        // form opened again, or the next draft's tags typed).
        foreach (var pause in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(500) })
        {
            var afterChange = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                using (var api = new HttpClient { BaseAddress = host.Address })
                {
                    api.DefaultRequestHeaders.Authorization = new("Bearer", InProcessServer.Token);
                    using var created = await api.PostAsJsonAsync("/api/posts", new { url = $"https://example.org/change/{pause.TotalMilliseconds}/{i}", title = "A change", status = "draft" });
                }

                await Task.Delay(pause);
                var clock = Stopwatch.StartNew();
                await GetAsync(client, "/desk/api/tags?q=t1");
                afterChange.Add(clock.Elapsed.TotalMilliseconds);
                // Past the background reads' spacing, so that each change is read on its own.
                await Task.Delay(TimeSpan.FromSeconds(1.2));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first tag suggestion {pause.TotalMilliseconds:F0} ms after a change: median {Percentile(afterChange, 0.5):F1} ms, p95 {Percentile(afterChange, 0.95):F1} ms, max {afterChange.Max():F1} ms"));
        }

        var anchor = Percentile(timings[cases[0].Name], 0.95);
        Console.WriteLine($"| page | p50 | p95 | p95 / anchor p95 | CPU per request | target p95 <= 20 ms |");
        foreach (var (name, _) in cases)
        {
            var p95 = Percentile(timings[name], 0.95);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Percentile(timings[name], 0.5):F2} ms | {p95:F2} ms | {p95 / anchor:F2} | {cpu[name].TotalMilliseconds / timings[name].Count:F2} ms | {(p95 <= 20 ? "met" : "NOT MET")} |"));
        }

        Console.WriteLine($"load average {LoadAverage()}");

        Directory.Delete(data, recursive: true);
        return 0;
    }

    /// <summary>
    /// Waits until the service's start-up work (rendering every feed, in the background) is over: the process's CPU time
    /// per request counts everything the process does, so timing pages beside that work would charge them for it.
    /// </summary>
    private static async Task<TimeSpan> QuietAfterStartAsync()
    {
        var waited = Stopwatch.StartNew();
        using var process = Process.GetCurrentProcess();
        while (waited.Elapsed < TimeSpan.FromMinutes(10))
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(2));
            process.Refresh();
            if (process.TotalProcessorTime - before < TimeSpan.FromMilliseconds(100))
            {
                break;
            }
        }

        return waited.Elapsed;
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/desk/sign-in");
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        using var response = await client.PostAsync("/desk/set-up", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["adminToken"] = InProcessServer.Token,
            ["password"] = Password,
            ["confirmation"] = Password,
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"set-up: {(int)response.StatusCode}");
        }
    }

    /// <summary>The cursor of the drafts queue after <paramref name="pages"/> pages, followed link by link.</summary>
    private static async Task<string> CursorAfterAsync(HttpClient client, int pages)
    {
        var path = "/desk/drafts";
        for (var i = 0; i < pages; i++)
        {
            path = WebUtility.HtmlDecode(NextLink().Match(await client.GetStringAsync(path)).Groups[1].Value);
        }

        return Uri.UnescapeDataString(path[(path.IndexOf("before=", StringComparison.Ordinal) + "before=".Length)..]);
    }

    /// <summary>Writes posts, sources and drafts through the service's own stores before it starts.</summary>
    private static async Task<IReadOnlyList<long>> LoadAsync(string dataDirectory, int postCount, int draftCount, int tagCount)
    {
        using var database = new SqliteDatabase(Path.Combine(dataDirectory, "feeds.db"));
        await database.InitializeAsync(CancellationToken.None);
        var posts = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), TimeProvider.System);
        var sources = new SourceStore(database, posts);
        var now = TimeProvider.System.GetUtcNow();

        await sources.CreateManyAsync(
            [.. Enumerable.Range(0, 50).Select(i => new NewSource($"https://source{i}.example/feed", $"https://source{i}.example/", null, $"Source {i}", [], SourceMode.Draft, 60, false, false))],
            now, CancellationToken.None);
        var sourceIds = (await sources.ListAsync(CancellationToken.None)).Select(s => s.Id).ToList();

        for (var start = 0; start < postCount; start += 1_000)
        {
            await posts.WriteAsync(async writer =>
            {
                for (var i = start; i < Math.Min(start + 1_000, postCount); i++)
                {
                    var random = new Random(i);
                    var tags = Enumerable.Range(0, 1 + (i % 3)).Select(_ => $"t{(int)(tagCount * Math.Pow(random.NextDouble(), 2.5))}").Distinct().ToList();
                    await writer.CreateAsync(Content(new PostInput
                    {
                        Url = $"https://example.com/{i}",
                        Title = $"Post {i} about {string.Join(" and ", tags)}",
                        Commentary = $"Commentary for post {i}, with *emphasis*.",
                        Tags = tags,
                        PublishAt = FirstPost.AddMinutes(i),
                    }, now), null, null, CancellationToken.None);
                }

                return 0;
            }, CancellationToken.None);
        }

        await posts.WriteAsync(async writer =>
        {
            for (var i = 0; i < draftCount; i++)
            {
                // Nine in ten drafts come from a source, the rest are the author's own.
                var sourceId = i % 10 == 0 ? (long?)null : sourceIds[i % sourceIds.Count];
                await writer.CreateAsync(Content(new PostInput
                {
                    Url = $"https://drafts.example/{i}",
                    Title = $"Draft {i}",
                    Tags = [$"t{i % tagCount}"],
                    Status = PostStatusNames.Draft,
                    Via = sourceId is null ? null : new ViaInput($"https://source{sourceId}.example/", $"Source {sourceId}"),
                }, now), sourceId, writer.Now.AddTicks(i), CancellationToken.None);
            }

            return 0;
        }, CancellationToken.None);
        return sourceIds;
    }

    private static PostContent Content(PostInput input, DateTimeOffset now) =>
        PostRules.Validate(input, now, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

    private static int Argument(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("href=\"(/desk/drafts\\?[^\"]*before=[^\"]+)\" rel=\"next\"")]
    private static partial Regex NextLink();
}
