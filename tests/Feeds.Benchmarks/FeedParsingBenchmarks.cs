using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Feeds.Core.Parsing;

namespace Feeds.Benchmarks;

/// <summary>Parses the parser's fixture corpus (the well-formed feeds under tests/Feeds.Core.Tests/testdata/parsing).</summary>
[MemoryDiagnoser]
public class FeedParsingBenchmarks
{
    private static readonly Uri DocumentUrl = new("https://bench.example/feed");
    private (string Name, byte[] Bytes)[] _corpus = [];

    [GlobalSetup]
    public void Setup() => _corpus = FeedCorpus.Load(FeedCorpus.DefaultDirectory());

    [Benchmark]
    public int ParseCorpus()
    {
        var items = 0;
        foreach (var (_, bytes) in _corpus)
        {
            items += FeedParser.Parse(bytes, DocumentUrl).Items.Count;
        }

        return items;
    }

    [Benchmark]
    public int ParseLargestFixture()
    {
        var largest = _corpus.MaxBy(f => f.Bytes.Length).Bytes;
        return FeedParser.Parse(largest, DocumentUrl).Items.Count;
    }
}

/// <summary>The corpus and a plain timing loop, for comparing with other parsers outside BenchmarkDotNet.</summary>
public static class FeedCorpus
{
    public static string DefaultDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Feeds.Core.Tests", "testdata", "parsing");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Feeds.Core.Tests/testdata/parsing not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Feed files directly in <paramref name="directory"/>; the refused documents live in a subfolder and are left out.</summary>
    public static (string Name, byte[] Bytes)[] Load(string directory) =>
        [.. Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".xml", StringComparison.Ordinal) || (f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".golden.json", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];

    /// <summary>Parses every file <paramref name="rounds"/> times after a warm-up and prints one line the comparison script reads.</summary>
    public static int Time(string directory, int rounds)
    {
        var corpus = Load(directory);
        var url = new Uri("https://bench.example/feed");
        // Warm up until tiered compilation has settled (at least three seconds and a tenth of the rounds), so the
        // figure is the steady state of a long-running poller rather than the JIT's first tiers.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < Math.Max(1, rounds / 10) || warmUp.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            foreach (var (_, bytes) in corpus)
            {
                FeedParser.Parse(bytes, url);
            }
        }

        var bytesTotal = 0L;
        var documents = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var (_, bytes) in corpus)
            {
                FeedParser.Parse(bytes, url);
                bytesTotal += bytes.Length;
                documents++;
            }
        }

        stopwatch.Stop();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"dotnet files={corpus.Length} documents={documents} seconds={seconds:F3} docs_per_s={documents / seconds:F1} mib_per_s={bytesTotal / seconds / (1024 * 1024):F2}"));
        return 0;
    }
}
