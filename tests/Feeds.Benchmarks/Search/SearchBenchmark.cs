using System.Diagnostics;
using System.Globalization;
using Dapper;
using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Core.Search;
using Feeds.Core.Text;
using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Data.Sqlite;

namespace Feeds.Benchmarks.Search;

/// <summary>
/// Search at scale, on SQLite. Imports N posts (batches of 500, the path of <c>POST /api/posts/batch</c> and so of
/// <c>feeds import</c>) into two new databases, one with the search index kept in step and one without, and reports both
/// rates; then times Q mixed queries (words, prefixes, phrases, exclusions, tag and site filters) through the service's
/// <see cref="SearchIndex"/>, server time without HTTP, and, as the anchor of the same run over the same database, the
/// single-word queries again: the ids of their page found by the index against by <c>LIKE '%word%'</c> over the same
/// fields, then the whole page, posts read, against the same after LIKE; last, rebuilds the index from scratch.
/// <c>search [POSTS=100000] [QUERIES=1000]</c>
/// </summary>
internal static class SearchBenchmark
{
    private const int BatchSize = 500;

    private static readonly DateTimeOffset FirstPost = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int VocabularySize = 20_000;

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "qui", "fer", "gan", "hol", "jus", "bre", "cla",
        "dri", "ent", "ost", "umb", "wal", "xen", "yor", "tra", "sql", "ite", "rus", "pyt",
    ];

    /// <summary>
    /// Words as text uses them: a few very common, most rare (Zipf's law, the n-th word 1/n as frequent as the first),
    /// 20,000 in all, made of syllables so that a word's letters also occur inside others, as LIKE sees them.
    /// </summary>
    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, VocabularySize).Select(WordNumber)];

    private static readonly double[] Cumulative = CumulativeZipf();

    /// <summary>
    /// The same search without the index: every field the index holds (title, commentary, link, via, tag names) matched
    /// with <c>LIKE</c>, newest first, a page of 50 ids.
    /// </summary>
    private const string LikeSql = """
        select p.id from posts p
        where p.deleted_at is null and p.status = 'published'
          and (p.link_title like @Pattern or p.commentary_md like @Pattern or p.link_url like @Pattern
               or p.via_url like @Pattern or p.via_title like @Pattern
               or exists (select 1 from post_tags pt join tags t on t.slug = pt.tag_slug where pt.post_id = p.id and t.name like @Pattern))
        order by p.sort_at desc limit 50
        """;

    /// <summary>The anchor of earlier runs: title, commentary and link alone, which misses the posts found by their tags or via.</summary>
    private const string NarrowLikeSql = """
        select id from posts
        where deleted_at is null and status = 'published' and (link_title like @Pattern or commentary_md like @Pattern or link_url like @Pattern)
        order by sort_at desc limit 50
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var postCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var queryCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var directory = Directory.CreateTempSubdirectory("feeds-search-bench-").FullName;
        try
        {
            var without = await ImportAsync(Path.Combine(directory, "plain.db"), postCount);
            var (database, index, with) = await ImportIndexedAsync(Path.Combine(directory, "indexed.db"), postCount);
            using (database)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"import of {postCount:N0} posts in batches of {BatchSize}: {postCount / without:N0} posts/s without the index, {postCount / with:N0} posts/s with it ({with / without:F2}x the time)"));

                var queries = Queries(queryCount);
                foreach (var query in queries.Take(50))
                {
                    await SearchAsync(index, query);
                }

                var times = new List<double>(queries.Count);
                var cpuTimes = new List<double>(queries.Count);
                var wordTimes = new Dictionary<string, (double Wall, double Cpu)>();
                foreach (var query in queries)
                {
                    var thread = Environment.CurrentManagedThreadId;
                    var cpuStarted = ThreadCpu.Now();
                    var started = Stopwatch.GetTimestamp();
                    await SearchAsync(index, query);
                    var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    times.Add(took);
                    cpuTimes.Add(Environment.CurrentManagedThreadId == thread ? (ThreadCpu.Now() - cpuStarted).TotalMilliseconds : double.NaN);
                    if (!query.Contains(' ', StringComparison.Ordinal) && !query.Contains('*', StringComparison.Ordinal) && !wordTimes.ContainsKey(query))
                    {
                        wordTimes[query] = (took, cpuTimes[^1]);
                    }
                }

                // The anchor: each single word again, its page of 50 found by the index and by LIKE (ids only, both), and
                // the same page read in full after LIKE found it, as a search reads it.
                var postQueries = new PostQueries(database);
                var like = new List<(Measured Like, Measured Find, Measured LikePage, Measured SearchPage, Measured Narrow)>();
                foreach (var word in wordTimes.Keys)
                {
                    var request = new SearchRequest(SearchQuery.Parse(word), Author: false);
                    var find = await MeasureAsync(() => index.FindAsync(request, CancellationToken.None));
                    List<Guid> ids = [];
                    var likeIds = await MeasureAsync(async () =>
                    {
                        await using var connection = await database.OpenAsync(CancellationToken.None);
                        ids = (await connection.QueryAsync<Guid>(LikeSql, new { Pattern = $"%{word}%" })).AsList();
                    });
                    var read = await MeasureAsync(() => postQueries.ListByIdsAsync(ids, CancellationToken.None));
                    var narrow = await MeasureAsync(async () =>
                    {
                        await using var connection = await database.OpenAsync(CancellationToken.None);
                        (await connection.QueryAsync<Guid>(NarrowLikeSql, new { Pattern = $"%{word}%" })).AsList();
                    });
                    like.Add((likeIds, find, new Measured(likeIds.Wall + read.Wall, likeIds.Cpu + read.Cpu), new Measured(wordTimes[word].Wall, wordTimes[word].Cpu), narrow));
                }

                var p95 = Percentile(times, 0.95);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"search over {postCount:N0} posts, {queries.Count:N0} mixed queries: p50 {Percentile(times, 0.5):F2} ms, p95 {p95:F2} ms, max {times.Max():F1} ms (target p95 <= 10 ms: {(p95 <= 10 ? "met" : "NOT MET")})"));
                // On a shared machine a query's wall time is mostly waits for a core: its thread's CPU time is the work.
                var cpu = cpuTimes.Where(double.IsFinite).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  CPU time of the searching thread ({cpu.Count:N0} queries that stayed on it): p50 {Percentile(cpu, 0.5):F2} ms, p95 {Percentile(cpu, 0.95):F2} ms, max {cpu.Max():F1} ms"));
                foreach (var kind in Kinds.Distinct())
                {
                    var ofKind = Enumerable.Range(0, times.Count).Where(i => Kinds[i % Kinds.Length] == kind).ToList();
                    var wall = ofKind.Select(i => times[i]).ToList();
                    var work = ofKind.Select(i => cpuTimes[i]).Where(double.IsFinite).ToList();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {kind}: p50 {Percentile(wall, 0.5):F2} ms, p95 {Percentile(wall, 0.95):F2} ms, max {wall.Max():F1} ms; CPU p50 {Percentile(work, 0.5):F2} ms, p95 {Percentile(work, 0.95):F2} ms"));
                }

                Console.WriteLine(Ratio($"anchor, the same {like.Count} single words: a page of 50 ids found by LIKE '%word%' against by the index", like.Select(l => (l.Like, l.Find)).ToList(), target: 50));
                Console.WriteLine(Ratio("  the page's posts read too, after LIKE against a whole search", like.Select(l => (l.LikePage, l.SearchPage)).ToList(), target: null));
                Console.WriteLine(Ratio("  LIKE over title, commentary and link alone (finds fewer: no tags, no via) against the index", like.Select(l => (l.Narrow, l.Find)).ToList(), target: null));

                var rebuild = Stopwatch.StartNew();
                var indexed = await index.RebuildAsync(CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index rebuilt from scratch: {indexed:N0} posts in {rebuild.Elapsed.TotalSeconds:F1} s"));
                Console.WriteLine($"load average {LoadAverage()}");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Wall and CPU time of one call in milliseconds; CPU time NaN when the call ended on another thread.</summary>
    private readonly record struct Measured(double Wall, double Cpu);

    private static async Task<Measured> MeasureAsync(Func<Task> call)
    {
        var thread = Environment.CurrentManagedThreadId;
        var cpuStarted = ThreadCpu.Now();
        var started = Stopwatch.GetTimestamp();
        await call();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new Measured(wall, Environment.CurrentManagedThreadId == thread ? (ThreadCpu.Now() - cpuStarted).TotalMilliseconds : double.NaN);
    }

    /// <summary>The means of the anchor's and the search's times, in wall and in CPU time, and how many times faster the search is.</summary>
    private static string Ratio(string what, List<(Measured Anchor, Measured Search)> pairs, int? target)
    {
        var anchor = pairs.Average(p => p.Anchor.Wall);
        var search = pairs.Average(p => p.Search.Wall);
        var cpu = pairs.Where(p => double.IsFinite(p.Anchor.Cpu) && double.IsFinite(p.Search.Cpu)).ToList();
        var verdict = target is { } x ? $" (target >= {x}x: {(anchor / search >= x ? "met" : "NOT MET")})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}: mean {anchor:F2} ms against {search:F2} ms, {anchor / search:F0}x{verdict}; in CPU time {cpu.Average(p => p.Anchor.Cpu):F2} ms against {cpu.Average(p => p.Search.Cpu):F2} ms, {cpu.Average(p => p.Anchor.Cpu) / cpu.Average(p => p.Search.Cpu):F0}x");
    }

    private static Task<SearchPage> SearchAsync(SearchIndex index, string text) =>
        index.SearchAsync(new SearchRequest(SearchQuery.Parse(text), Author: false), CancellationToken.None);

    /// <summary>Imports into a database without the index; returns the seconds taken.</summary>
    private static async Task<double> ImportAsync(string path, int postCount)
    {
        using var database = new SqliteDatabase(path);
        await database.InitializeAsync(CancellationToken.None);
        return await LoadAsync(database, new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), TimeProvider.System), postCount);
    }

    private static async Task<(SqliteDatabase Database, SearchIndex Index, double Seconds)> ImportIndexedAsync(string path, int postCount)
    {
        var database = new SqliteDatabase(path);
        await database.InitializeAsync(CancellationToken.None);
        var index = SearchIndex.For(database, new PostQueries(database));
        var seconds = await LoadAsync(database, new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, [new SearchIndexHook(index)]), TimeProvider.System), postCount);
        return (database, index, seconds);
    }

    private static async Task<double> LoadAsync(SqliteDatabase database, PostStore posts, int postCount)
    {
        var now = TimeProvider.System.GetUtcNow();
        var batches = Enumerable.Range(0, (postCount + BatchSize - 1) / BatchSize)
            .Select(b => Enumerable.Range(b * BatchSize, Math.Min(BatchSize, postCount - (b * BatchSize))).Select(i => new NewPost(Content(i, now), null, null)).ToList())
            .ToList();
        var started = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await posts.ImportAsync(batch, CancellationToken.None);
        }

        return started.Elapsed.TotalSeconds;
    }

    /// <summary>A post shaped like a bookmark: a few thousand sites, a few hundred tags, notes on four in ten.</summary>
    private static PostContent Content(int i, DateTimeOffset now)
    {
        var random = new Random(i);
        string Word() => Zipf(random);
        var tags = Enumerable.Range(0, random.Next(5)).Select(_ => Word()).Distinct().ToList();
        var input = new PostInput
        {
            Url = $"https://site{random.Next(3000)}.example/{Word()}/{i}",
            Title = string.Join(' ', Enumerable.Range(0, 3 + random.Next(6)).Select(_ => Word())),
            Commentary = random.Next(100) < 40 ? $"Worth reading for the part on {Word()}. " + string.Join(' ', Enumerable.Range(0, 8 + random.Next(30)).Select(_ => Word())) : null,
            Tags = tags,
            PublishAt = FirstPost.AddMinutes(i * 5),
        };
        return PostRules.Validate(input, now, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));
    }

    /// <summary>
    /// The mixed set: a third single words, then prefixes, phrases, two words, exclusions, tag and site filters. People
    /// search for words that say something, neither the commonest (the hundred most frequent words are a third of all
    /// text) nor the rarest: query words are drawn evenly by rank from the 100th to the 5,000th.
    /// </summary>
    /// <summary>The kinds of query in <see cref="Queries"/>, in the order they take turns.</summary>
    private static readonly string[] Kinds = ["word", "word", "word", "prefix", "phrase", "two words", "exclusion", "tag", "site"];

    private static List<string> Queries(int count)
    {
        var random = new Random(7);
        string Word() => Vocabulary[100 + random.Next(4_900)];
        var queries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            queries.Add((i % Kinds.Length) switch
            {
                0 or 1 or 2 => Word(),
                3 => Word()[..3] + "*",
                4 => $"\"{Word()} {Word()}\"",
                5 => $"{Word()} {Word()}",
                6 => $"{Word()} -{Word()}",
                7 => $"{Word()} tag:{Vocabulary[random.Next(200)]}",
                _ => $"{Word()} site:site{random.Next(3000)}.example",
            });
        }

        return queries;
    }

    private static string Zipf(Random random)
    {
        var at = Array.BinarySearch(Cumulative, random.NextDouble() * Cumulative[^1]);
        return Vocabulary[Math.Min(at < 0 ? ~at : at, VocabularySize - 1)];
    }

    private static double[] CumulativeZipf()
    {
        var cumulative = new double[VocabularySize];
        var sum = 0.0;
        for (var n = 0; n < VocabularySize; n++)
        {
            sum += 1.0 / (n + 1);
            cumulative[n] = sum;
        }

        return cumulative;
    }

    /// <summary>The n-th word: n written in syllables, so every number is a different word.</summary>
    private static string WordNumber(int n)
    {
        var word = new System.Text.StringBuilder();
        do
        {
            word.Append(Syllables[n % Syllables.Length]);
            n /= Syllables.Length;
        }
        while (n > 0);

        return word.ToString();
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
