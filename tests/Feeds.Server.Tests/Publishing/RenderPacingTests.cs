using System.Diagnostics;
using Feeds.Server.Publishing;

namespace Feeds.Server.Tests.Publishing;

/// <summary>Rendering's share of the machine: runs at once after a quiet spell, a quarter of the time under a stream of writes.</summary>
public sealed class RenderPacingTests
{
    private static readonly long Millisecond = Stopwatch.Frequency / 1000;

    [Fact]
    public void A_run_after_a_quiet_spell_starts_at_once_and_so_do_runs_within_the_budget()
    {
        var pacing = new RenderPacing();
        var now = 1_000_000 * Millisecond;
        Assert.Equal(TimeSpan.Zero, pacing.WaitBefore(now));

        // A publish every 250 ms whose run takes 60 ms stays within a quarter of the time: none waits.
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, pacing.WaitBefore(now));
            pacing.Ran(now, now + 60 * Millisecond);
            now += 250 * Millisecond;
        }
    }

    [Fact]
    public void Back_to_back_runs_take_a_quarter_of_the_time_once_the_bucket_is_empty()
    {
        var pacing = new RenderPacing();
        var now = 1_000_000 * Millisecond;
        var rendering = 0L;
        var start = now;
        for (var i = 0; i < 1_000; i++)
        {
            now += Ticks(pacing.WaitBefore(now));
            pacing.Ran(now, now + 60 * Millisecond);
            now += 60 * Millisecond;
            rendering += 60 * Millisecond;
        }

        var share = rendering / (double)(now - start);
        Assert.InRange(share, 0.24, 0.26);
    }

    [Fact]
    public void A_long_run_holds_back_the_next_by_at_most_half_a_second()
    {
        var pacing = new RenderPacing();
        var now = 1_000_000 * Millisecond;
        pacing.Ran(now, now + 20_000 * Millisecond);
        now += 20_000 * Millisecond;

        var wait = pacing.WaitBefore(now);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(499), TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, pacing.WaitBefore(now + Ticks(wait)));
    }

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);
}
