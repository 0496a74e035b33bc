using System.Net;
using Feeds.Data.Delivery;
using Feeds.Data.Webhooks;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>Decides what an attempt's result means for its message: delivered, retried when, or given up.</summary>
public sealed class WebhookRetryPolicy(IOptions<WebhookOptions> options)
{
    private readonly RetrySchedule _schedule = new(options.Value.Schedule, options.Value.Jitter, options.Value.MaxRetryAfter);

    public int MaxAttempts => _schedule.MaxAttempts;

    /// <summary>The record to store for <paramref name="result"/> of an attempt made at schedule step <paramref name="retryStep"/>.</summary>
    /// <param name="retry">False for pings: they are attempted once and never retried.</param>
    public AttemptRecord Decide(DeliveryResult result, int retryStep, bool retry = true)
    {
        if (result.Error is null)
        {
            return new AttemptRecord(result.Attempt, DeliveryOutcome.Delivered, null);
        }

        // 410 says the endpoint is gone for good; its messages wait, pending, in case it is enabled again.
        var disable = result.Attempt.StatusCode == (int)HttpStatusCode.Gone
            ? "the endpoint answered 410 Gone"
            : null;
        var next = retry ? NextAttemptAt(retryStep, result.Attempt.AttemptedAt, result.RetryAfter) : null;
        return next is null
            ? new AttemptRecord(result.Attempt, DeliveryOutcome.Failed, null, disable)
            : new AttemptRecord(result.Attempt, DeliveryOutcome.Retry, next, disable);
    }

    /// <summary>When to try again after a failure at <paramref name="retryStep"/>; null once the schedule is used up.</summary>
    public DateTimeOffset? NextAttemptAt(int retryStep, DateTimeOffset failedAt, TimeSpan? retryAfter) =>
        _schedule.NextAttemptAt(retryStep, failedAt, retryAfter);
}
