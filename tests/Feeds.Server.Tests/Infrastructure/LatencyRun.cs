using System.Globalization;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// How long the tests that time publish → visible run. In the suite they are correctness checks: a few publishes, each
/// seen within a bound that only a render on publish meets (the regeneration sweep comes every 30 s). As the benchmark,
/// <c>tests/Feeds.Benchmarks/scripts/publish-to-visible.sh</c> sets <c>FEEDS_PUBLISHES</c> (100) and they assert the
/// targets themselves, at the percentiles the targets name.
/// </summary>
public static class LatencyRun
{
    private static readonly int? Configured =
        int.TryParse(Environment.GetEnvironmentVariable("FEEDS_PUBLISHES"), NumberStyles.None, CultureInfo.InvariantCulture, out var publishes) && publishes > 0
            ? publishes
            : null;

    /// <summary>True when run as the benchmark.</summary>
    public static bool IsBenchmark => Configured is not null;

    /// <summary>Publishes to time: <c>FEEDS_PUBLISHES</c>, else 20.</summary>
    public static int Publishes => Configured ?? 20;

    /// <summary>The bound asserted at p99: <paramref name="target"/> as the benchmark, 5 s in the suite.</summary>
    public static TimeSpan Bound(TimeSpan target) => IsBenchmark ? target : TimeSpan.FromSeconds(5);
}
