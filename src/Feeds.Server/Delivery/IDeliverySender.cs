using Feeds.Data.Delivery;

namespace Feeds.Server.Delivery;

/// <summary>Attempts the outbox deliveries of one kind: signs them its own way and decides what each result means.</summary>
public interface IDeliverySender
{
    /// <summary>The <see cref="NewDelivery.Kind"/> it sends.</summary>
    string Kind { get; }

    /// <exception cref="OperationCanceledException">The service is stopping; nothing is to be recorded.</exception>
    Task<DeliveryRecord> AttemptAsync(DueDelivery delivery, CancellationToken cancellationToken);
}
