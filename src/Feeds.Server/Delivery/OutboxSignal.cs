namespace Feeds.Server.Delivery;

/// <summary>
/// Wakes the <see cref="OutboxDispatcher"/> once deliveries were committed. A separate signal, so whoever queues
/// deliveries (inside the stores' writes) need not depend on the dispatcher, whose senders read those stores.
/// </summary>
public sealed class OutboxSignal
{
    public event Action? Raised;

    public void Raise() => Raised?.Invoke();
}
