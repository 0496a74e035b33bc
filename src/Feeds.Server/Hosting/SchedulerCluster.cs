using Feeds.Data;
using Feeds.Data.Postgres;
using Feeds.Server.Data;
using Quartz;

namespace Feeds.Server.Hosting;

/// <summary>
/// On PostgreSQL every node runs the same jobs against Quartz's clustered ADO.NET job store, in the database's
/// <c>quartz</c> schema (created by the migrations): a trigger fires on one node only, a job that forbids concurrent
/// runs runs on one node at a time across the cluster, and a node that stops checking in is taken for dead, its firings
/// of jobs that ask for recovery started again elsewhere. On SQLite, one node, the scheduler keeps its jobs in memory.
/// </summary>
public static class SchedulerCluster
{
    public const string TablePrefix = "quartz.qrtz_";

    /// <summary>How often a node says it is alive; with <see cref="CheckinMisfireThreshold"/>, how soon its death is noticed.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How late a check-in may be before the node is taken for dead. A survivor notices a dead node at its own first
    /// check-in past the dead one's last check-in, plus <see cref="CheckinInterval"/>, plus this: at most about 7 s after
    /// the death; a job the dead node was running one at a time is recovered at the check-in after that. Measured on a
    /// quiet machine with 2 s and 7 s, feeds were current again 11–12 s after a kill, and past 20 s on a loaded one;
    /// with these, 5 s without a check-in is still far beyond any pause of a live node for garbage collection or a busy
    /// machine, and a job started twice is harmless (every job is idempotent).
    /// </summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="configuration"/> puts the service on PostgreSQL, and so in a cluster.</summary>
    public static bool IsClustered(IConfiguration configuration, out string connectionString)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>();
        connectionString = database is { Provider: DatabaseProvider.Postgres, ConnectionString: { Length: > 0 } given } ? PostgresConnectionString.WithDefaults(given) : "";
        return connectionString.Length > 0;
    }

    public static void UseClusteredStore(IQuartzBuilder quartz, string connectionString) =>
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.ConfigureStore(options =>
            {
                options.TablePrefix = TablePrefix;
                // The schema is the migrations' to create and change; Quartz only checks it at start.
                options.SchemaProvisioning = SchemaProvisioning.Validate;
            });
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
        });
}
