using Feeds.Server.Tests.Infrastructure;
using Npgsql;

namespace Feeds.Server.Tests.Cluster;

/// <summary>
/// Two nodes of one site in this process, over one PostgreSQL database: real Kestrel, real Quartz (clustered), real
/// LISTEN/NOTIFY between them. Lighter than <see cref="FeedsCluster"/>'s processes, for what happens between nodes
/// rather than to a node that dies. Both nodes name node A's address as the site's, as nodes behind one front do.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(string connectionString, string? roleOfB, FeedsServer a, FeedsServer b)
    {
        ConnectionString = connectionString;
        RoleOfB = roleOfB;
        A = a;
        B = b;
    }

    /// <summary>The database, as the test's own superuser reaches it.</summary>
    public string ConnectionString { get; }

    /// <summary>The role node B signs in to the database as, when it has one of its own.</summary>
    public string? RoleOfB { get; }

    public FeedsServer A { get; }

    public FeedsServer B { get; }

    /// <summary>
    /// Starts the two nodes, or skips the test naming what is missing. With <paramref name="roleOfItsOwnForB"/>, node B
    /// signs in to the database as a role of its own (<see cref="RoleOfB"/>), so a test can keep B from connecting.
    /// </summary>
    public static async Task<TwoNodes> StartAsync(
        IDictionary<string, string?>? settings = null, IDictionary<string, string?>? settingsOfB = null, bool roleOfItsOwnForB = false)
    {
        if (PostgresCluster.Missing is { } missing)
        {
            Assert.Skip($"needs {missing}");
        }

        var postgres = await PostgresCluster.GetAsync();
        var connectionString = postgres.ConnectionString(await postgres.CreateDatabaseAsync());
        var connectionOfB = connectionString;
        var roleOfB = roleOfItsOwnForB ? "node_" + Guid.NewGuid().ToString("N") : null;
        if (roleOfB is not null)
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create role {roleOfB} superuser login", connection);
            await create.ExecuteNonQueryAsync();
            connectionOfB = new NpgsqlConnectionStringBuilder(connectionString) { Username = roleOfB }.ConnectionString;
        }

        var portOfA = TestPorts.Free();
        var common = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Feeds:BaseUrl"] = $"http://127.0.0.1:{portOfA}",
            ["Feeds:Database:Provider"] = "Postgres",
        };
        var a = new FeedsServer(settings: new Dictionary<string, string?>(common) { ["Feeds:Database:ConnectionString"] = connectionString }, port: portOfA);
        var ofB = new Dictionary<string, string?>(common) { ["Feeds:Database:ConnectionString"] = connectionOfB };
        foreach (var (key, value) in settingsOfB ?? new Dictionary<string, string?>())
        {
            ofB[key] = value;
        }

        return new TwoNodes(connectionString, roleOfB, a, new FeedsServer(settings: ofB));
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
