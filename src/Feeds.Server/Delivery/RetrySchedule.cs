using System.Globalization;
using System.Security.Cryptography;
using Feeds.Data.Delivery;

namespace Feeds.Server.Delivery;

/// <summary>
/// When a failed delivery is tried again: the delays of a schedule (its length is the number of attempts), each
/// stretched or shrunk by up to <paramref name="jitter"/> so the retries of a burst spread out, unless the destination
/// asked for a wait with <c>Retry-After</c> (honoured up to <paramref name="maxRetryAfter"/>).
/// </summary>
public sealed class RetrySchedule(IReadOnlyList<TimeSpan> delays, double jitter, TimeSpan maxRetryAfter)
{
    public int MaxAttempts => delays.Count;

    /// <summary>When to try again after a failure at <paramref name="retryStep"/>; null once the schedule is used up.</summary>
    public DateTimeOffset? NextAttemptAt(int retryStep, DateTimeOffset failedAt, TimeSpan? retryAfter)
    {
        var next = retryStep + 1;
        if (next >= delays.Count)
        {
            return null;
        }

        var delay = retryAfter is { } asked
            ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, maxRetryAfter.Ticks))
            : Jittered(delays[next]);
        return failedAt + delay;
    }

    /// <summary>The record of an HTTP attempt at <paramref name="due"/>: delivered on any 2xx, else retried while the schedule lasts.</summary>
    public DeliveryRecord Decide(DueDelivery due, HttpAttempt sent)
    {
        var attempt = new DeliveryAttempt(
            Guid.CreateVersion7(sent.AttemptedAt), due.Id, due.Kind, due.Destination, sent.AttemptedAt, sent.DurationMs, sent.StatusCode,
            sent.Error?.Code, sent.Error?.Description, sent.ResponseExcerpt);
        if (sent.Error is null)
        {
            return new DeliveryRecord(attempt, due.Revision, DeliveryOutcome.Delivered, null);
        }

        var next = NextAttemptAt(due.RetryStep, sent.AttemptedAt, sent.RetryAfter);
        return new DeliveryRecord(attempt, due.Revision, next is null ? DeliveryOutcome.Failed : DeliveryOutcome.Retry, next);
    }

    /// <summary>The record of an attempt that sent nothing, since there was nothing left to send (<paramref name="why"/>): given up.</summary>
    public static DeliveryRecord GiveUp(DueDelivery due, DateTimeOffset now, string why) =>
        new(new DeliveryAttempt(Guid.CreateVersion7(now), due.Id, due.Kind, due.Destination, now, 0, null, "gone", why, null),
            due.Revision, DeliveryOutcome.Failed, null);

    private TimeSpan Jittered(TimeSpan delay)
    {
        var fraction = (RandomNumberGenerator.GetInt32(-10_000, 10_001) / 10_000.0) * jitter;
        return delay * (1 + fraction);
    }

    /// <summary>Parses <c>"0s, 5s, 5m, 2h"</c>; null with <paramref name="problem"/> when it is not a schedule.</summary>
    public static IReadOnlyList<TimeSpan>? Parse(string? text, out string? problem)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var unitStart = part.Length;
            while (unitStart > 0 && char.IsAsciiLetter(part[unitStart - 1]))
            {
                unitStart--;
            }

            var unit = part[unitStart..];
            if (!double.TryParse(part[..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
            {
                problem = $"has '{part}', which is not a delay such as 500ms, 5s, 5m, 2h or 1d.";
                return null;
            }

            TimeSpan? delay = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => null,
            };
            if (delay is null || delay > TimeSpan.FromDays(7))
            {
                problem = $"has '{part}', which is not a delay such as 500ms, 5s, 5m, 2h or 1d (at most 7 days).";
                return null;
            }

            delays.Add(delay.Value);
        }

        if (delays.Count is 0 or > 50)
        {
            problem = "must list 1 to 50 delays, the first for the first attempt (usually 0s).";
            return null;
        }

        problem = null;
        return delays;
    }
}
