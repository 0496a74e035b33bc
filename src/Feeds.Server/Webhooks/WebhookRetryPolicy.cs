using System.Net;
using System.Security.Cryptography;
using Feeds.Data.Webhooks;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>Decides what an attempt's result means for its message: delivered, retried when, or given up.</summary>
public sealed class WebhookRetryPolicy(IOptions<WebhookOptions> options)
{
    private readonly IReadOnlyList<TimeSpan> _schedule = options.Value.Schedule;

    public int MaxAttempts => _schedule.Count;

    /// <summary>The record to store for <paramref name="result"/> of an attempt made at schedule step <paramref name="retryStep"/>.</summary>
    /// <param name="retry">False for pings: they are attempted once and never retried.</param>
    public AttemptRecord Decide(DeliveryResult result, int retryStep, bool retry = true)
    {
        if (result.Error is null)
        {
            return new AttemptRecord(result.Attempt, AttemptOutcome.Delivered, null);
        }

        // 410 says the endpoint is gone for good; its messages wait, pending, in case it is enabled again.
        var disable = result.Attempt.StatusCode == (int)HttpStatusCode.Gone
            ? "the endpoint answered 410 Gone"
            : null;
        var next = retry ? NextAttemptAt(retryStep, result.Attempt.AttemptedAt, result.RetryAfter) : null;
        return next is null
            ? new AttemptRecord(result.Attempt, AttemptOutcome.Failed, null, disable)
            : new AttemptRecord(result.Attempt, AttemptOutcome.Retry, next, disable);
    }

    /// <summary>When to try again after a failure at <paramref name="retryStep"/>; null once the schedule is used up.</summary>
    public DateTimeOffset? NextAttemptAt(int retryStep, DateTimeOffset failedAt, TimeSpan? retryAfter)
    {
        var next = retryStep + 1;
        if (next >= _schedule.Count)
        {
            return null;
        }

        var delay = retryAfter is { } asked
            ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, options.Value.MaxRetryAfter.Ticks))
            : Jittered(_schedule[next]);
        return failedAt + delay;
    }

    private TimeSpan Jittered(TimeSpan delay)
    {
        // Spreads the retries of a burst of failed messages instead of sending them back all at once.
        var fraction = (RandomNumberGenerator.GetInt32(-10_000, 10_001) / 10_000.0) * options.Value.Jitter;
        return delay * (1 + fraction);
    }
}
