using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Feeds.Benchmarks;

/// <summary>
/// Rendering against Django's <c>Atom1Feed</c>, interleaved: rounds of Django's own timing script alternate with rounds
/// of <see cref="FeedRenderingBenchmarks.ComposeAndWriteAtom"/>, timed the same way (the median of single renders after
/// a warm-up), so each ratio compares two figures taken within seconds of each other. Two figures taken minutes apart
/// can straddle a change in this machine's speed, which switches between two levels over seconds to minutes. Each of
/// our rounds first renders for two seconds untimed, so that it starts busy, as Django's timed runs do after its first.
/// </summary>
internal static partial class RenderVsDjango
{
    /// <summary><c>render-vs-django TOOLS_DIR [ROUNDS=9] [DJANGO_RUNS=1000] [FEEDS_RUNS=3000]</c></summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: render-vs-django TOOLS_DIR [ROUNDS=9] [DJANGO_RUNS=1000] [FEEDS_RUNS=3000]");
            return 2;
        }

        var script = Path.Combine(args[0], "bench", "django-atom-bench.py");
        var rounds = Argument(args, 1, 9);
        var djangoRuns = Argument(args, 2, 1000);
        var feedsRuns = Argument(args, 3, 3000);

        var bench = new FeedRenderingBenchmarks();
        bench.Setup();
        Spin(bench, TimeSpan.FromSeconds(5));

        var ratios = new List<double>(rounds);
        for (var round = 1; round <= rounds; round++)
        {
            var django = await DjangoMedianAsync(script, djangoRuns);
            Spin(bench, TimeSpan.FromSeconds(2));
            var (median, p10, p90) = Time(bench, feedsRuns);
            ratios.Add(django / median);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: Django median {django:0} us; Feeds median {median:0.0} us (p10 {p10:0.0}, p90 {p90:0.0}); ratio {django / median:0.0}x"));
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio over {rounds} rounds: median {ratios[ratios.Count / 2]:0.0}x, lowest {ratios[0]:0.0}x (target >= 10x)"));
        return 0;
    }

    private static int Argument(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>Renders untimed: for the tiered compiler at first, and for the processor after each of Django's rounds.</summary>
    private static void Spin(FeedRenderingBenchmarks bench, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            bench.ComposeAndWriteAtom();
        }
    }

    private static (double Median, double P10, double P90) Time(FeedRenderingBenchmarks bench, int runs)
    {
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            bench.ComposeAndWriteAtom();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return (times[runs / 2], times[runs / 10], times[runs * 9 / 10]);
    }

    private static async Task<double> DjangoMedianAsync(string script, int runs)
    {
        using var process = Process.Start(new ProcessStartInfo(script, runs.ToString(CultureInfo.InvariantCulture))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"cannot start {script}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = DjangoMedian().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"{script} exited {process.ExitCode} without a median:\n{output}");
        }

        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"build\+serialize.*median (\d+) us")]
    private static partial Regex DjangoMedian();
}
