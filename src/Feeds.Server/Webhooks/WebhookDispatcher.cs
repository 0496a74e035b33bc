using Feeds.Data.Webhooks;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Delivers due webhook messages through the shared <see cref="DeliveryLoop{TDue, TRecord}"/>, one endpoint being one
/// destination. A message keeps its <c>webhook-id</c> through every attempt, so one sent again after a crash is
/// recognisably the same; endpoints that keep failing are disabled as results are stored.
/// </summary>
/// <remarks>
/// Every node of a cluster runs a dispatcher; each message is claimed by one of them (<see cref="ClaimLease"/>, renewed
/// while its attempt runs), so no two nodes send it at once, and a dead node's claims run out and its messages are sent
/// by another.
/// </remarks>
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
    /// <summary>How long a claim holds unless renewed: how long a dead node's messages wait for another node.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    /// <summary>This process among the nodes, in the claims it makes.</summary>
    private readonly string _node = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly WebhookOptions _options = options.Value;

    protected override string IdOf(DueMessage due) => due.Id;

    protected override string DestinationOf(DueMessage due) => due.Target.EndpointId.ToString("N");

    protected override Task<IReadOnlyList<DueMessage>> ListDueAsync(DateTimeOffset now, int perDestination, int take, CancellationToken cancellationToken) =>
        store.ClaimDueAsync(_node, now, now + ClaimLease, perDestination, take, cancellationToken);

    protected override Task PrepareAsync(CancellationToken cancellationToken) => store.ReleaseClaimsOfTheDeadAsync(cancellationToken);

    protected override Task ReleaseAsync(IReadOnlyList<DueMessage> notStarted, CancellationToken cancellationToken) =>
        store.ReleaseAsync(_node, [.. notStarted.Select(m => m.Id)], cancellationToken);

    protected override TimeSpan? RenewClaimsEvery => TimeSpan.FromSeconds(5);

    protected override Task RenewClaimsAsync(CancellationToken cancellationToken) =>
        store.RenewAsync(_node, Clock.GetUtcNow() + ClaimLease, cancellationToken);

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
    private static partial void LogAttemptFailed(ILogger logger, string messageId, Guid endpointId, string errorClass, string error, AttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, Guid endpointId, string reason);
}
