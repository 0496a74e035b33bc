using Npgsql;

namespace Feeds.Server.Hosting;

/// <summary>
/// Closes the connections Quartz's clustered job store leaves idle once the scheduler has stopped. Quartz opens its
/// connections from the connection string, so they live in Npgsql's process-wide pool, which outlives the host: a
/// process that starts and stops hosts (a test run, a host restarted in place) would otherwise keep each one's idle
/// connections open until PostgreSQL runs out of them. Registered before Quartz's hosted service, so it stops after it.
/// </summary>
internal sealed class SchedulerConnections(string connectionString) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
        return Task.CompletedTask;
    }
}
