using Feeds.Data.Webhooks;
using Feeds.Server.Hosting;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Lets this node keep the webhook subscriptions between posts (PostgreSQL): every change of them on any node is
/// announced on <see cref="WebhookStore.SubscriptionsChannel"/> at its commit, and makes the store read them again.
/// While the node is deaf (before it first listens, or after losing its connection) the store reads them for every
/// write, since a change meanwhile would go unheard.
/// </summary>
public sealed class WebhookSubscriptionChanges(WebhookStore store) : IClusterNotificationHandler
{
    public string Channel => WebhookStore.SubscriptionsChannel;

    public void Notified(string payload) => store.ForgetSubscriptions();

    public Task ListeningAsync(bool again, CancellationToken cancellationToken)
    {
        store.HearChanges(true);
        return Task.CompletedTask;
    }

    public void Deaf() => store.HearChanges(false);
}
