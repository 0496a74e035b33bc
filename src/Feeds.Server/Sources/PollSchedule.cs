using System.Security.Cryptography;
using Feeds.Core.Parsing;
using Feeds.Data.Sources;
using Feeds.Server.WebSub;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>A wait before the next check (before jitter) and why it is that long.</summary>
public sealed record PollInterval(TimeSpan Wait, IntervalReason Reason);

/// <summary>
/// When to poll a source next. A healthy source whose author chose its interval is polled at that interval: a person
/// who asks for every hour means every hour, and conditional requests keep such polls cheap. One left at the default
/// adapts to the feed: longer when the feed asks for it (<c>ttl</c>, <c>Cache-Control: max-age</c>) or publishes rarely.
/// Both stay within the configured minimum and maximum. A failing source backs off exponentially, and a 429 or 503
/// waits at least as long as its <c>Retry-After</c> asks, whichever interval it has. Every delay gets some jitter, so
/// sources added together do not stay in lockstep. While the source's WebSub hub holds a subscription, a healthy
/// source is polled only at the safety interval (<c>Feeds:WebSub:PushedSourcePollMinutes</c>), in case a push was lost.
/// </summary>
public sealed class PollSchedule(IOptions<SourceOptions> options, IOptions<WebSubOptions>? webSub = null)
{
    /// <summary>Backoff never waits longer than this, unless the source's own interval is longer.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(24);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for more is asked again after this.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(7);

    /// <summary>How many of the newest dated items show a feed's rhythm.</summary>
    private const int RhythmItems = 20;

    private readonly SourceOptions _options = options.Value;

    /// <summary>How often a pushed source is still polled.</summary>
    public TimeSpan SafetyInterval { get; } = TimeSpan.FromMinutes((webSub?.Value ?? new WebSubOptions()).PushedSourcePollMinutes);

    /// <summary>The wait of a healthy source, before jitter.</summary>
    /// <param name="suggestion">What the feed's document asked for or showed, from <see cref="Suggest"/>.</param>
    /// <param name="maxAge">The last response's <c>Cache-Control: max-age</c>.</param>
    public PollInterval Healthy(Source source, FeedSuggestion? suggestion, TimeSpan? maxAge)
    {
        var interval = TimeSpan.FromMinutes(source.IntervalMinutes);
        var chosen = new PollInterval(interval, source.IntervalChosen ? IntervalReason.Interval : IntervalReason.Default);
        if (source.IntervalChosen)
        {
            return chosen with { Wait = Clamp(interval, _options.MinInterval, _options.MaxInterval) };
        }

        var longest = chosen;
        foreach (var candidate in (PollInterval?[])[
            suggestion is { } s ? new PollInterval(TimeSpan.FromMinutes(s.Minutes), s.Reason) : null,
            maxAge is { } age ? new PollInterval(age, IntervalReason.MaxAge) : null])
        {
            longest = candidate is not null && candidate.Wait > longest.Wait ? candidate : longest;
        }

        return longest with { Wait = Clamp(longest.Wait, _options.MinInterval, _options.MaxInterval) };
    }

    /// <summary>The next poll after a successful one (read or not modified), and the wait it stands for.</summary>
    public (DateTimeOffset Next, PollInterval Interval) AfterSuccess(Source source, FeedSuggestion? suggestion, TimeSpan? maxAge, DateTimeOffset now)
    {
        var interval = source.Push?.HoldsAt(now) == true ? new PollInterval(SafetyInterval, IntervalReason.Pushed) : Healthy(source, suggestion, maxAge);
        // Only ever later: a source is never polled sooner than it should be.
        return (now + interval.Wait * (1 + Fraction(0.1)), interval);
    }

    /// <summary>The next poll after the <paramref name="errorCount"/>th failure in a row, and the wait it stands for.</summary>
    public (DateTimeOffset Next, PollInterval Interval) AfterFailure(Source source, int errorCount, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (retryAfter is { } asked)
        {
            var wait = Clamp(asked, _options.MinInterval, MaxRetryAfter);
            return (now + wait * (1 + Fraction(0.1)), new PollInterval(wait, IntervalReason.RetryAfter));
        }

        var interval = Clamp(TimeSpan.FromMinutes(source.IntervalMinutes), _options.MinInterval, _options.MaxInterval);
        var cap = Max(MaxBackoff, interval);
        var backoff = interval * Math.Pow(2, Math.Min(errorCount, 30));
        backoff = backoff > cap ? cap : backoff;
        var delay = backoff * (1 + Fraction(0.2) - 0.1);
        return (now + Max(delay, _options.MinInterval), new PollInterval(Max(backoff, _options.MinInterval), IntervalReason.Backoff));
    }

    /// <summary>
    /// The schedule of <paramref name="changed"/>, whose interval the author just changed: its next check counted from
    /// its last one with the new interval (at once if that time has passed), so a shorter interval takes effect now and
    /// not after the wait the old one set. Null when there is nothing to move: the interval stayed, polling has stopped,
    /// the source was never polled (it is due already), or a server asked it to wait (<c>Retry-After</c>).
    /// </summary>
    public SourceFetchState? Reschedule(Source current, Source changed, DateTimeOffset now)
    {
        var fetch = changed.Fetch;
        if ((current.IntervalMinutes == changed.IntervalMinutes && current.IntervalChosen == changed.IntervalChosen)
            || fetch.Stopped || fetch.LastCheckedAt is not { } last || fetch.IntervalReason == IntervalReason.RetryAfter.Code)
        {
            return null;
        }

        var (next, interval) = fetch.ErrorCount > 0
            ? AfterFailure(changed, fetch.ErrorCount, retryAfter: null, last)
            : AfterSuccess(changed, FeedSuggestion.From(fetch), maxAge: null, last);
        return fetch with
        {
            NextCheckAt = next < now ? now : next,
            EffectiveIntervalMinutes = Minutes(interval.Wait),
            IntervalReason = interval.Reason.Code,
        };
    }

    /// <summary>The wait in whole minutes, as stored and shown.</summary>
    public static int Minutes(TimeSpan wait) => (int)Math.Min(Math.Round(wait.TotalMinutes), int.MaxValue / 2);

    /// <summary>
    /// The interval a feed suggests by itself: its <c>ttl</c>, or a quarter of the typical gap between its newest items
    /// (or of the time since the newest, if that is longer), whichever is longer; null when it says nothing.
    /// </summary>
    public static FeedSuggestion? Suggest(ParsedFeed feed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var dates = feed.Items
            .Select(i => i.Published ?? i.Updated)
            .OfType<DateTimeOffset>()
            .Where(d => d <= now)
            .OrderDescending()
            .Take(RhythmItems)
            .ToList();
        FeedSuggestion? rhythm = null;
        if (dates.Count >= 2)
        {
            var gaps = dates.Zip(dates.Skip(1), (newer, older) => newer - older).Order().ToList();
            var typical = gaps[gaps.Count / 2];
            rhythm = new FeedSuggestion(Minutes(Max(typical, now - dates[0]) / 4), IntervalReason.Rhythm);
        }

        var ttl = feed.TtlMinutes is > 0 ? new FeedSuggestion(feed.TtlMinutes.Value, IntervalReason.Ttl) : null;
        return ttl is not null && (rhythm is null || ttl.Minutes >= rhythm.Minutes) ? ttl : rhythm;
    }

    /// <summary>A random fraction in [0, <paramref name="upTo"/>].</summary>
    private static double Fraction(double upTo) => RandomNumberGenerator.GetInt32(0, 10_001) / 10_000.0 * upTo;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}

/// <summary>The interval a feed asked for (<c>ttl</c>) or showed (publishing rhythm), in minutes.</summary>
public sealed record FeedSuggestion(int Minutes, IntervalReason Reason)
{
    /// <summary>The suggestion stored with the source's fetch state, if any.</summary>
    public static FeedSuggestion? From(SourceFetchState fetch) =>
        fetch.SuggestedIntervalMinutes is { } minutes
            ? new FeedSuggestion(minutes, fetch.SuggestedBy == IntervalReason.Ttl.Code ? IntervalReason.Ttl : IntervalReason.Rhythm)
            : null;
}
