using Dapper;
using Feeds.Server.Tests.Infrastructure;
using Npgsql;

namespace Feeds.Server.Tests.Cluster;

/// <summary>
/// Two Feeds nodes as processes of their own over one PostgreSQL database, writing one static directory, and the shipped
/// nginx front in front of both: the topology of <c>docker-compose.yml</c>, on loopback.
/// </summary>
public sealed class FeedsCluster : IAsyncDisposable
{
    private FeedsCluster(string connectionString, string staticDirectory, ServerProcess a, string instanceA, ServerProcess b, string instanceB, NginxFront front)
    {
        ConnectionString = connectionString;
        StaticDirectory = staticDirectory;
        A = a;
        InstanceA = instanceA;
        B = b;
        InstanceB = instanceB;
        Front = front;
    }

    public string ConnectionString { get; }
    public string StaticDirectory { get; }
    public ServerProcess A { get; }
    public ServerProcess B { get; }
    public NginxFront Front { get; }

    /// <summary>Node A's Quartz instance id, as the clustered job store records it.</summary>
    public string InstanceA { get; }

    public string InstanceB { get; }

    /// <summary>Starts the cluster, or skips the test naming what is missing (PostgreSQL, nginx, its Brotli module).</summary>
    public static async Task<FeedsCluster> StartAsync(IDictionary<string, string?>? settings = null)
    {
        if ((PostgresCluster.Missing ?? NginxFront.Missing) is { } missing)
        {
            Assert.Skip($"needs {missing}");
        }

        var postgres = await PostgresCluster.GetAsync();
        var connectionString = postgres.ConnectionString(await postgres.CreateDatabaseAsync());
        var staticDirectory = Path.Combine(TempDirectory.Create(), "static");
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Feeds:Database:Provider"] = "Postgres",
            ["Feeds:Database:ConnectionString"] = connectionString,
            ["Feeds:Publishing:StaticDirectory"] = staticDirectory,
        };

        // One after the other, so that each node's scheduler instance is known: the one that checks in after it starts.
        var a = await ServerProcess.StartAsync(TempDirectory.Create(), all);
        var instanceA = (await WaitForInstancesAsync(connectionString, 1))[0];
        var b = await ServerProcess.StartAsync(TempDirectory.Create(), all);
        var instanceB = (await WaitForInstancesAsync(connectionString, 2)).Single(i => i != instanceA);
        var front = await NginxFront.StartAsync(staticDirectory, [a.BaseAddress, b.BaseAddress]);
        return new FeedsCluster(connectionString, staticDirectory, a, instanceA, b, instanceB, front);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<IReadOnlyList<string>> WaitForInstancesAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instances = (await connection.QueryAsync<string>("select instance_name from quartz.qrtz_scheduler_state")).ToList();
            if (instances.Count >= count)
            {
                return instances;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{count} scheduler instances did not check in within 30 s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Front.DisposeAsync();
        A.Dispose();
        B.Dispose();
    }
}
