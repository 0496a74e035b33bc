using Feeds.Data.Postgres;
using Npgsql;

namespace Feeds.Server.Hosting;

/// <summary>
/// Keeps this node in step with the others (PostgreSQL): one connection per node listens on the channel of every
/// <see cref="IClusterNotificationHandler"/> and hands each notification to the handler of its channel. Nothing polls: a
/// change is heard when it commits. A lost connection is opened again, after a pause that grows while the database stays
/// out of reach (<see cref="ReconnectDelay"/>); meanwhile the handlers know they are deaf, and once listening again
/// each catches up on what it missed.
/// </summary>
public sealed partial class ClusterNotifications(
    PostgresDatabase database, IEnumerable<IClusterNotificationHandler> handlers, ILogger<ClusterNotifications> logger) : BackgroundService
{
    /// <summary>How long a quiet connection waits before it checks that it is still alive.</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, IClusterNotificationHandler> _handlers = handlers.ToDictionary(h => h.Channel, StringComparer.Ordinal);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once the node first listens: a test, or a load balancer's health check, can wait for it.</summary>
    public Task Listening => _listening.Task;

    /// <summary>The pause before listening again after the <paramref name="failures"/>th failure in a row: 0.25 s, doubling, at most 15 s.</summary>
    private static TimeSpan ReconnectDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, Math.Min(failures - 1, 16)), 15_000));

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
                Deafen();
                var delay = ReconnectDelay(++failures);
                LogListenFailed(logger, delay.TotalSeconds, e);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        Deafen();
    }

    /// <param name="listening">Called once the connection listens and every handler has caught up.</param>
    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        try
        {
            await ListenAsync(connection, listening, stoppingToken);
        }
        finally
        {
            // A connection that is still open goes back to the pool, which leaves sessions as they are
            // (PostgresConnectionString): it stops listening first.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlisten = new NpgsqlCommand("unlisten *", connection);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task ListenAsync(NpgsqlConnection connection, Action listening, CancellationToken stoppingToken)
    {
        connection.Notification += (_, e) =>
        {
            if (_handlers.TryGetValue(e.Channel, out var handler))
            {
                handler.Notified(e.Payload);
            }
        };
        await using (var listen = new NpgsqlCommand(string.Concat(_handlers.Keys.Select(channel => $"listen {channel};")), connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening before looking: a change that commits from here on is heard, and one before it is read.
        var again = _listening.Task.IsCompleted;
        foreach (var handler in _handlers.Values)
        {
            await handler.ListeningAsync(again, stoppingToken);
        }

        if (again)
        {
            LogListeningAgain(logger);
        }

        listening();
        _listening.TrySetResult();
        while (true)
        {
            if (!await connection.WaitAsync(QuietCheck, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("select 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void Deafen()
    {
        foreach (var handler in _handlers.Values)
        {
            handler.Deaf();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for the other nodes' changes failed; trying again in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, double delaySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for the other nodes' changes again; what they changed meanwhile is taken in")]
    private static partial void LogListeningAgain(ILogger logger);
}
