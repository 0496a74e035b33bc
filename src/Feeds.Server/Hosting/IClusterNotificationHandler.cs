namespace Feeds.Server.Hosting;

/// <summary>
/// What a feature does with the notifications of one PostgreSQL channel that <see cref="ClusterNotifications"/> hears
/// for it: another node's change, announced at its commit.
/// </summary>
public interface IClusterNotificationHandler
{
    /// <summary>The channel to listen on.</summary>
    string Channel { get; }

    /// <summary>A notification on <see cref="Channel"/>, with its payload; called on the listening connection's thread, so it only queues or flags.</summary>
    void Notified(string payload);

    /// <summary>
    /// The node listens: from here on every change is heard. <paramref name="again"/> when it listened before and lost
    /// the connection: the changes announced meanwhile went unheard, and the handler catches up on them.
    /// </summary>
    Task ListeningAsync(bool again, CancellationToken cancellationToken);

    /// <summary>
    /// The node stopped listening (its connection lost, or the node stopping): changes may go unheard until
    /// <see cref="ListeningAsync"/>. Nothing to do for a handler that catches up when listening again.
    /// </summary>
    void Deaf()
    {
    }
}
