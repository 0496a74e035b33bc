using Feeds.Data.Delivery;
using Feeds.Data.Webhooks;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Delivers due webhook messages through the shared <see cref="DeliveryLoop{TDue, TRecord}"/>, one endpoint being one
/// destination. A message keeps its <c>webhook-id</c> through every attempt, so one sent again after a crash is
/// recognisably the same; endpoints that keep failing are disabled as results are stored.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookStore store,
    WebhookSender sender,
    WebhookRetryPolicy retryPolicy,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
    : DeliveryLoop<DueMessage, AttemptRecord>(
        new DeliveryLimits(options.Value.GlobalConcurrency, options.Value.ConcurrencyPerEndpoint, options.Value.SweepInterval), clock, logger)
{
    private readonly WebhookOptions _options = options.Value;

    protected override string IdOf(DueMessage due) => due.Id;

    protected override string DestinationOf(DueMessage due) => due.Target.EndpointId.ToString("N");

    protected override Task<IReadOnlyList<DueMessage>> ClaimDueAsync(
        string node, DateTimeOffset now, DateTimeOffset claimUntil, int perDestination, int take, CancellationToken cancellationToken) =>
        store.ClaimDueAsync(node, now, claimUntil, perDestination, take, cancellationToken);

    protected override Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken) => store.ReleaseClaimsOfTheDeadAsync(cancellationToken);

    protected override Task ReleaseAsync(string node, IReadOnlyList<DueMessage> notStarted, CancellationToken cancellationToken) =>
        store.ReleaseAsync(node, [.. notStarted.Select(m => m.Id)], cancellationToken);

    protected override Task RenewClaimsAsync(string node, DateTimeOffset claimUntil, CancellationToken cancellationToken) =>
        store.RenewAsync(node, claimUntil, cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.NextDueAfterAsync(now, cancellationToken);

    protected override async Task<AttemptRecord?> AttemptAsync(DueMessage due, CancellationToken stoppingToken)
    {
        var result = await sender.SendAsync(due.Id, due.Body, due.Target, stoppingToken);
        var record = retryPolicy.Decide(result, due.RetryStep);
        if (result.Error is { } error)
        {
            LogAttemptFailed(logger, due.Id, due.Target.EndpointId, error.Code, error.Description, record.Outcome);
        }

        return record;
    }

    protected override async Task RecordAsync(IReadOnlyList<AttemptRecord> records, CancellationToken cancellationToken)
    {
        var disabled = await store.RecordAsync(records, Clock.GetUtcNow() - _options.DisableAfterFailingFor, FailingReason, cancellationToken);
        foreach (var (endpointId, reason) in disabled)
        {
            LogEndpointDisabled(logger, endpointId, reason);
        }
    }

    private string FailingReason => $"every attempt failed for {_options.DisableAfterFailingFor}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook message {MessageId} to endpoint {EndpointId} failed ({ErrorClass}: {Error}); outcome {Outcome}")]
    private static partial void LogAttemptFailed(ILogger logger, string messageId, Guid endpointId, string errorClass, string error, DeliveryOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, Guid endpointId, string reason);
}
