using Feeds.Data.Postgres;
using Feeds.Data.Webhooks;
using Feeds.Server.Publishing;
using Npgsql;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Lets this node keep the webhook subscriptions between posts (PostgreSQL): it listens on
/// <see cref="WebhookStore.SubscriptionsChannel"/>, where every change of them on any node is announced at its commit,
/// and makes the store read them again. While it is not listening (before its first connection, or after losing one)
/// the store reads them for every write, since a change meanwhile would go unheard.
/// </summary>
public sealed partial class WebhookSubscriptionListener(PostgresDatabase database, WebhookStore store, ILogger<WebhookSubscriptionListener> logger)
    : BackgroundService
{
    /// <summary>How long a quiet connection waits before it checks that it is still alive.</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                store.HearChanges(false);
                var delay = FeedChangeListener.ReconnectDelay(++failures);
                LogListenFailed(logger, delay.TotalSeconds, e);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        store.HearChanges(false);
    }

    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => store.ForgetSubscriptions();
        await using (var listen = new NpgsqlCommand($"listen {WebhookStore.SubscriptionsChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening before trusting: a change that commits from here on is heard, and one before it is read.
        store.HearChanges(true);
        listening();
        while (true)
        {
            if (!await connection.WaitAsync(QuietCheck, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("select 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' webhook subscriptions failed; they are read for every post until it listens again, in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, double delaySeconds, Exception exception);
}
