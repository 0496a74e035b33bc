using Feeds.Data.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Delivery;

/// <summary>
/// Delivers the shared outbox (<see cref="OutboxStore"/>) through the <see cref="DeliveryLoop{TDue, TRecord}"/>,
/// handing each delivery to the sender of its kind.
/// </summary>
public sealed partial class OutboxDispatcher(
    OutboxStore outbox,
    IEnumerable<IDeliverySender> senders,
    OutboxSignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : DeliveryLoop<DueDelivery, DeliveryRecord>(options.Value.Limits, clock, logger)
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signal.Raised += Wake;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        signal.Raised -= Wake;
        return base.StopAsync(cancellationToken);
    }

    private readonly Dictionary<string, IDeliverySender> _senders = senders.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    protected override string IdOf(DueDelivery due) => due.Id;

    protected override string DestinationOf(DueDelivery due) => due.Kind + ":" + due.Destination;

    protected override Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(
        string node, DateTimeOffset now, DateTimeOffset claimUntil, int perDestination, int take, CancellationToken cancellationToken) =>
        outbox.ClaimDueAsync(node, now, claimUntil, perDestination, take, cancellationToken);

    protected override Task ReleaseClaimsOfTheDeadAsync(CancellationToken cancellationToken) => outbox.ReleaseClaimsOfTheDeadAsync(cancellationToken);

    protected override Task ReleaseAsync(string node, IReadOnlyList<DueDelivery> notStarted, CancellationToken cancellationToken) =>
        outbox.ReleaseAsync(node, [.. notStarted.Select(d => d.Id)], cancellationToken);

    protected override Task RenewClaimsAsync(string node, DateTimeOffset claimUntil, CancellationToken cancellationToken) =>
        outbox.RenewAsync(node, claimUntil, cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        outbox.NextDueAfterAsync(now, cancellationToken);

    protected override async Task<DeliveryRecord?> AttemptAsync(DueDelivery due, CancellationToken stoppingToken)
    {
        if (_senders.TryGetValue(due.Kind, out var sender))
        {
            var record = await sender.AttemptAsync(due, stoppingToken);
            if (record.Attempt.ErrorClass is { } errorClass)
            {
                LogAttemptFailed(logger, due.Kind, due.Id, due.Destination, errorClass, record.Attempt.Error, record.Outcome);
            }

            return record;
        }

        // A delivery of a kind this build does not send (written by a newer one) is given up rather than spun on.
        var now = Clock.GetUtcNow();
        return new DeliveryRecord(
            new DeliveryAttempt(Guid.CreateVersion7(now), due.Id, due.Kind, due.Destination, now, 0, null, "other", $"no sender for deliveries of kind '{due.Kind}'", null),
            due.Revision, DeliveryOutcome.Failed, null);
    }

    protected override Task RecordAsync(IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken) =>
        outbox.RecordAsync(records, Clock.GetUtcNow(), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} delivery {DeliveryId} to {Destination} failed ({ErrorClass}: {Error}); outcome {Outcome}")]
    private static partial void LogAttemptFailed(ILogger logger, string kind, string deliveryId, string destination, string errorClass, string? error, DeliveryOutcome outcome);
}
