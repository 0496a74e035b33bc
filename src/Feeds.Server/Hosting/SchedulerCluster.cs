using Feeds.Data;
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
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How late a check-in may be before the node is taken for dead: a dead node's work is picked up within about
    /// <see cref="CheckinInterval"/> plus this, well within the 20 s an operator may wait for feeds to be current again,
    /// and long enough that a garbage collection or a busy machine does not start a job twice.
    /// </summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(7);

    /// <summary>Whether <paramref name="configuration"/> puts the service on PostgreSQL, and so in a cluster.</summary>
    public static bool IsClustered(IConfiguration configuration, out string connectionString)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>();
        connectionString = database?.ConnectionString ?? "";
        return database is { Provider: DatabaseProvider.Postgres } && connectionString.Length > 0;
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
