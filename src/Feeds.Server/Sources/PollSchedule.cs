using System.Security.Cryptography;
using Feeds.Core.Parsing;
using Feeds.Data.Sources;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>
/// When to poll a source next. A healthy source waits its own interval, stretched when the feed asks for longer
/// (<c>ttl</c>, <c>Cache-Control: max-age</c>) or publishes rarely, always within the configured minimum and maximum.
/// A failing one backs off exponentially, a 429 or 503 waits at least as long as its <c>Retry-After</c> asks.
/// Every delay gets some jitter, so sources added together do not stay in lockstep.
/// </summary>
public sealed class PollSchedule(IOptions<SourceOptions> options)
{
    /// <summary>Backoff never waits longer than this, unless the source's own interval is longer.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(24);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for more is asked again after this.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(7);

    /// <summary>How many of the newest dated items show a feed's rhythm.</summary>
    private const int RhythmItems = 20;

    private readonly SourceOptions _options = options.Value;

    /// <summary>The next poll after a successful one (read or not modified).</summary>
    /// <param name="suggestedMinutes">What the feed's document asked for or showed, from <see cref="SuggestedMinutes"/>.</param>
    public DateTimeOffset AfterSuccess(Source source, int? suggestedMinutes, TimeSpan? maxAge, DateTimeOffset now)
    {
        var interval = Max(TimeSpan.FromMinutes(source.IntervalMinutes), TimeSpan.FromMinutes(suggestedMinutes ?? 0), maxAge ?? TimeSpan.Zero);
        interval = Clamp(interval, _options.MinInterval, _options.MaxInterval);
        // Only ever later: a source is never polled sooner than it should be.
        return now + interval * (1 + Fraction(0.1));
    }

    /// <summary>The next poll after the <paramref name="errorCount"/>th failure in a row.</summary>
    public DateTimeOffset AfterFailure(Source source, int errorCount, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (retryAfter is { } asked)
        {
            return now + Clamp(asked, _options.MinInterval, MaxRetryAfter) * (1 + Fraction(0.1));
        }

        var interval = Clamp(TimeSpan.FromMinutes(source.IntervalMinutes), _options.MinInterval, _options.MaxInterval);
        var cap = Max(MaxBackoff, interval);
        var backoff = interval * Math.Pow(2, Math.Min(errorCount, 30));
        var delay = (backoff > cap ? cap : backoff) * (1 + Fraction(0.2) - 0.1);
        return now + Max(delay, _options.MinInterval);
    }

    /// <summary>
    /// The interval a feed suggests by itself, in minutes: its <c>ttl</c>, or a quarter of the typical gap between its
    /// newest items (or of the time since the newest, if that is longer); null when it says nothing.
    /// </summary>
    public static int? SuggestedMinutes(ParsedFeed feed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var dates = feed.Items
            .Select(i => i.Published ?? i.Updated)
            .OfType<DateTimeOffset>()
            .Where(d => d <= now)
            .OrderDescending()
            .Take(RhythmItems)
            .ToList();
        TimeSpan? rhythm = null;
        if (dates.Count >= 2)
        {
            var gaps = dates.Zip(dates.Skip(1), (newer, older) => newer - older).Order().ToList();
            var typical = gaps[gaps.Count / 2];
            rhythm = Max(typical, now - dates[0]) / 4;
        }

        var ttl = feed.TtlMinutes is > 0 ? TimeSpan.FromMinutes(feed.TtlMinutes.Value) : (TimeSpan?)null;
        if (rhythm is null && ttl is null)
        {
            return null;
        }

        var suggested = Max(rhythm ?? TimeSpan.Zero, ttl ?? TimeSpan.Zero);
        return (int)Math.Min(suggested.TotalMinutes, int.MaxValue / 2);
    }

    /// <summary>A random fraction in [0, <paramref name="upTo"/>].</summary>
    private static double Fraction(double upTo) => RandomNumberGenerator.GetInt32(0, 10_001) / 10_000.0 * upTo;

    private static TimeSpan Max(params ReadOnlySpan<TimeSpan> values)
    {
        var max = TimeSpan.Zero;
        foreach (var value in values)
        {
            max = value > max ? value : max;
        }

        return max;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
