using Feeds.Data;
using Feeds.Data.Postgres;
using Feeds.Server.Http;
using Quartz;

namespace Feeds.Server.Hosting;

/// <summary>What the whole service shares: its own settings and switches, the scheduler, the health endpoints.</summary>
public static class FeedsHosting
{
    public const string SeedSamplesSwitch = "--seed-samples";

    /// <summary>Takes the service's own switches out of <paramref name="args"/> before the host reads the rest.</summary>
    public static string[] WithoutOwnSwitches(string[] args, out Dictionary<string, string?> settings)
    {
        settings = [];
        if (args.Contains(SeedSamplesSwitch))
        {
            settings[$"{FeedsOptions.Section}:{nameof(FeedsOptions.SeedSamples)}"] = "true";
        }

        return [.. args.Where(a => a != SeedSamplesSwitch)];
    }

    public static IHostApplicationBuilder AddFeedsOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedsOptions>()
            .BindConfiguration(FeedsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SiteHosts>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Runs the jobs every feature adds with its own <c>AddQuartz</c> (each call adds to the same options), in memory on
    /// SQLite and clustered on PostgreSQL (<see cref="SchedulerCluster"/>). Added after the features whose start-up steps
    /// must be done before the first job fires: posts (schedules) and publishing. On PostgreSQL also the one listening
    /// connection per node that hands the other nodes' changes to the features' <see cref="IClusterNotificationHandler"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsScheduler(this IHostApplicationBuilder builder)
    {
        if (SchedulerCluster.IsClustered(builder.Configuration, out var connectionString))
        {
            builder.Services.AddQuartz(quartz => SchedulerCluster.UseClusteredStore(quartz, connectionString));
            builder.Services.AddHostedService(_ => new SchedulerConnections(connectionString));
            builder.Services.AddSingleton(sp => (PostgresDatabase)sp.GetRequiredService<Database>());
            builder.Services.AddSingleton<ClusterNotifications>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterNotifications>());
        }
        else
        {
            builder.Services.AddQuartz();
        }

        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddQuartz(options => options.Name = "scheduler");
        return builder;
    }

    /// <summary><c>/health</c> runs every feature's checks; <c>/alive</c> none, to say only that the process answers.</summary>
    public static WebApplication MapFeedsHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new() { Predicate = _ => false });
        return app;
    }
}
