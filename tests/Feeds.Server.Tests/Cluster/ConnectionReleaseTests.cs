using System.Diagnostics;
using Feeds.Server.Tests.Infrastructure;
using Npgsql;

namespace Feeds.Server.Tests.Cluster;

/// <summary>A node on PostgreSQL hands back every connection it opened when it stops, Quartz's job store's included.</summary>
public sealed class ConnectionReleaseTests
{
    [Fact]
    public async Task A_stopped_node_leaves_no_session_open_on_its_database()
    {
        if (PostgresCluster.Missing is { } missing)
        {
            Assert.Skip($"needs {missing}");
        }

        var postgres = await PostgresCluster.GetAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:Database:Provider"] = "Postgres",
            ["Feeds:Database:ConnectionString"] = postgres.ConnectionString(database),
        };
        using (var server = new FeedsServer(settings: settings))
        {
            await server.CreateAuthorizedClient().CreateAsync(Infrastructure.Posts.Valid("Opens connections", "python"));
            Assert.True(await SessionsOnAsync(postgres, database) > 0, "the running node holds no connection at all");
        }

        // Idle pooled connections would otherwise stay open for the pool's idle lifetime (seconds in these tests).
        var waited = Stopwatch.StartNew();
        long open;
        while ((open = await SessionsOnAsync(postgres, database)) > 0 && waited.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, open);
    }

    private static async Task<long> SessionsOnAsync(PostgresCluster postgres, string database)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_stat_activity where datname = @database", connection);
        command.Parameters.AddWithValue("database", database);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
