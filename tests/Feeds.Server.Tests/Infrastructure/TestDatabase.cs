using System.Data.Common;
using System.Reflection;
using Feeds.Data;
using Feeds.Data.Postgres;
using Feeds.Data.Sqlite;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.v3;

[assembly: AssemblyFixture(typeof(TestDatabase.RunEnd))]
[assembly: TestDatabase.SkipWithoutIt]

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// The database provider the data and server tests run against, and a database of that kind for each server or store
/// under test. The provider comes from the environment variable <c>FEEDS_TEST_DATABASE</c> (<c>sqlite</c> or
/// <c>postgres</c>), else from the test assembly's <c>FeedsTestDatabase</c> metadata: <c>Feeds.Server.Tests</c> runs on
/// SQLite, and <c>Feeds.Server.Tests.Postgres</c>, the same tests compiled again, on PostgreSQL. Where PostgreSQL is
/// not installed, every test of a PostgreSQL run skips, naming what is missing (<see cref="SkipWithoutItAttribute"/>):
/// the skip comes before the test runs, and the servers its class already built meanwhile stand on SQLite.
/// </summary>
public static class TestDatabase
{
    /// <summary>The file in a server's data directory naming its PostgreSQL database, so a restart finds the same data.</summary>
    private const string DatabaseNameFile = "postgres-database";

    public static DatabaseProvider Provider { get; } = Choose();

    public static bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// The settings that put a server over <paramref name="dataDirectory"/> on the provider under test: none for SQLite
    /// (its file lives in the data directory); for PostgreSQL, a database of its own, the same one each time the same
    /// data directory is started again.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string?>> SettingsForAsync(string dataDirectory)
    {
        if (!IsPostgres || PostgresCluster.Missing is not null)
        {
            return new Dictionary<string, string?>();
        }

        var cluster = await PostgresCluster.GetAsync();
        var file = Path.Combine(dataDirectory, DatabaseNameFile);
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, await cluster.CreateDatabaseAsync(await MigratedTemplate.Value));
        }

        return new Dictionary<string, string?>
        {
            ["Feeds:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Feeds:Database:ConnectionString"] = cluster.ConnectionString((await File.ReadAllTextAsync(file)).Trim()),
        };
    }

    /// <summary>
    /// A database the migrations have been applied to, which each server's database is copied from: a server starting on
    /// it finds its schema current, as a node joining a running site does. The migrations themselves are tested on empty
    /// databases (<see cref="CreateAsync"/>), and made this one through the service's own runner.
    /// </summary>
    private static readonly Lazy<Task<string>> MigratedTemplate = new(async () =>
    {
        var cluster = await PostgresCluster.GetAsync();
        var name = await cluster.CreateDatabaseAsync();
        using (var database = new PostgresDatabase(cluster.ConnectionString(name)))
        {
            await database.InitializeAsync(CancellationToken.None);
        }

        return name;
    });

    /// <summary>The same, for a caller that cannot wait (a constructor).</summary>
    public static IReadOnlyDictionary<string, string?> SettingsFor(string dataDirectory) =>
        Task.Run(() => SettingsForAsync(dataDirectory)).GetAwaiter().GetResult();

    /// <summary>A new, empty database of the provider under test, not yet migrated, for tests of the stores alone.</summary>
    public static async Task<Database> CreateAsync()
    {
        if (!IsPostgres || PostgresCluster.Missing is not null)
        {
            return new SqliteDatabase(Path.Combine(TempDirectory.Create(), "feeds.db"));
        }

        var cluster = await PostgresCluster.GetAsync();
        return new PostgresDatabase(cluster.ConnectionString(await cluster.CreateDatabaseAsync()));
    }

    /// <summary>A new, empty PostgreSQL database whatever the provider under test; skips the test without PostgreSQL.</summary>
    public static async Task<PostgresDatabase> CreatePostgresAsync()
    {
        var cluster = await RequireClusterAsync();
        return new PostgresDatabase(cluster.ConnectionString(await cluster.CreateDatabaseAsync()));
    }

    /// <summary>A connection of the test's own to the database of the server over <paramref name="dataDirectory"/>, to look at what it stored.</summary>
    public static async Task<DbConnection> OpenAsync(string dataDirectory)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection((await SettingsForAsync(dataDirectory))["Feeds:Database:ConnectionString"] + ";Pooling=false")
            : new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "feeds.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<PostgresCluster> RequireClusterAsync()
    {
        if (PostgresCluster.Missing is { } missing)
        {
            Assert.Skip($"needs {missing}");
        }

        return await PostgresCluster.GetAsync();
    }

    private static DatabaseProvider Choose()
    {
        var chosen = Environment.GetEnvironmentVariable("FEEDS_TEST_DATABASE")
            ?? typeof(TestDatabase).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "FeedsTestDatabase")?.Value;
        return chosen is null ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(chosen, ignoreCase: true, out var provider) ? provider
            : throw new InvalidOperationException($"FEEDS_TEST_DATABASE must be sqlite or postgres, not '{chosen}'");
    }

    /// <summary>On a PostgreSQL run without PostgreSQL, skips every test before it runs, naming what is missing.</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class SkipWithoutItAttribute : BeforeAfterTestAttribute
    {
        public override void Before(MethodInfo methodUnderTest, IXunitTest test)
        {
            if (IsPostgres && PostgresCluster.Missing is { } missing)
            {
                Assert.Skip($"needs {missing}");
            }
        }
    }

    /// <summary>Stops the run's PostgreSQL cluster, if the run started one, once every test is done.</summary>
    public sealed class RunEnd : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await PostgresCluster.StopSharedAsync();
    }
}
