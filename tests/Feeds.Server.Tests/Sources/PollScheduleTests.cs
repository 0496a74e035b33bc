using Feeds.Core.Sources;
using Feeds.Data.Sources;
using Feeds.Server.Sources;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Tests.Sources;

/// <summary>The schedule on its own, at fixed instants.</summary>
public sealed class PollScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PollSchedule _schedule = new(Options.Create(new SourceOptions()));

    private static readonly FeedSuggestion RarelyPublishing = new(5 * 24 * 60, IntervalReason.Rhythm);

    [Fact]
    public void A_chosen_interval_is_kept_however_rarely_the_feed_publishes_and_whatever_it_asks()
    {
        var interval = _schedule.Healthy(Source(60, chosen: true), RarelyPublishing, maxAge: TimeSpan.FromHours(6));

        Assert.Equal(new PollInterval(TimeSpan.FromMinutes(60), IntervalReason.Interval), interval);
    }

    [Fact]
    public void The_default_interval_takes_the_longest_the_feed_asks_for_or_shows_up_to_the_maximum()
    {
        var source = Source(60, chosen: false);

        Assert.Equal(new PollInterval(TimeSpan.FromHours(24), IntervalReason.Rhythm), _schedule.Healthy(source, RarelyPublishing, TimeSpan.FromHours(6)));
        Assert.Equal(new PollInterval(TimeSpan.FromHours(6), IntervalReason.MaxAge), _schedule.Healthy(source, new(120, IntervalReason.Ttl), TimeSpan.FromHours(6)));
        Assert.Equal(new PollInterval(TimeSpan.FromHours(2), IntervalReason.Ttl), _schedule.Healthy(source, new(120, IntervalReason.Ttl), null));
        Assert.Equal(new PollInterval(TimeSpan.FromHours(1), IntervalReason.Default), _schedule.Healthy(source, new(20, IntervalReason.Rhythm), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_shorter_interval_moves_the_next_check_to_the_last_check_plus_that_interval()
    {
        var lastChecked = Now.AddMinutes(-5);
        var current = Source(60, chosen: false, Fetched(lastChecked, next: lastChecked.AddHours(24.7), IntervalReason.Rhythm));

        var moved = _schedule.Reschedule(current, current with { IntervalMinutes = 15, IntervalChosen = true }, Now);

        Assert.NotNull(moved);
        Assert.InRange(moved.NextCheckAt!.Value, lastChecked.AddMinutes(15), lastChecked.AddMinutes(16.5));
        Assert.Equal(15, moved.EffectiveIntervalMinutes);
        Assert.Equal("interval", moved.IntervalReason);
    }

    [Fact]
    public void A_next_check_the_new_interval_has_already_passed_is_now()
    {
        var lastChecked = Now.AddHours(-3);
        var current = Source(1440, chosen: true, Fetched(lastChecked, next: lastChecked.AddHours(24), IntervalReason.Interval));

        var moved = _schedule.Reschedule(current, current with { IntervalMinutes = 60 }, Now);

        Assert.Equal(Now, moved?.NextCheckAt);
    }

    [Fact]
    public void Nothing_moves_when_the_interval_stayed_polling_stopped_or_a_server_asked_to_wait()
    {
        var lastChecked = Now.AddMinutes(-5);
        var healthy = Source(60, chosen: true, Fetched(lastChecked, lastChecked.AddHours(1), IntervalReason.Interval));
        var stopped = healthy with { Fetch = healthy.Fetch with { Stopped = true, NextCheckAt = null } };
        var waiting = healthy with { Fetch = healthy.Fetch with { ErrorCount = 1, IntervalReason = IntervalReason.RetryAfter.Code } };

        Assert.Null(_schedule.Reschedule(healthy, healthy with { Title = "renamed" }, Now));
        Assert.Null(_schedule.Reschedule(stopped, stopped with { IntervalMinutes = 15 }, Now));
        Assert.Null(_schedule.Reschedule(waiting, waiting with { IntervalMinutes = 15 }, Now));
    }

    private static SourceFetchState Fetched(DateTimeOffset lastChecked, DateTimeOffset next, IntervalReason reason) => new()
    {
        LastStatus = 200,
        LastCheckedAt = lastChecked,
        LastSuccessAt = lastChecked,
        NextCheckAt = next,
        SuggestedIntervalMinutes = RarelyPublishing.Minutes,
        SuggestedBy = RarelyPublishing.Reason.Code,
        IntervalReason = reason.Code,
    };

    private static Source Source(int intervalMinutes, bool chosen, SourceFetchState? fetch = null) => new()
    {
        Id = 1,
        Url = "https://example.org/feed.xml",
        Tags = [],
        Mode = SourceMode.Draft,
        IntervalMinutes = intervalMinutes,
        IntervalChosen = chosen,
        Backfill = false,
        CreatedAt = Now.AddDays(-30),
        UpdatedAt = Now.AddDays(-30),
        Fetch = fetch ?? new SourceFetchState(),
    };
}
