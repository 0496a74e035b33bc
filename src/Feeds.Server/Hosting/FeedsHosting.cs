using System.Globalization;
using Feeds.Core.Syndication;
using Feeds.Core.Text;
using Feeds.Data;
using Feeds.Data.Feeds;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Data.Tokens;
using Feeds.Server.Auth;
using Feeds.Server.Http;
using Feeds.Server.Posts;
using Feeds.Server.Publishing;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;

namespace Feeds.Server.Hosting;

/// <summary>The service's building blocks, each added by one call from <c>Program.cs</c>.</summary>
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
        builder.Services.AddOptions<PublishingOptions>()
            .BindConfiguration(PublishingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new FeedComposer(sp.GetRequiredService<IOptions<PublishingOptions>>().Value
            .ToSite(sp.GetRequiredService<IOptions<FeedsOptions>>().Value)));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static IHostApplicationBuilder AddFeedsData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new Database(
            Path.Combine(sp.GetRequiredService<IOptions<FeedsOptions>>().Value.DataDirectory, "feeds.db")));
        builder.Services.AddSingleton<CommentaryRenderer>();
        builder.Services.AddSingleton<PostChangeHooks>();
        builder.Services.AddSingleton<PostStore>();
        builder.Services.AddSingleton<TagStore>();
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<SampleSeeder>();
        builder.Services.AddHostedService<StartupTasks>();
        return builder;
    }

    public static IHostApplicationBuilder AddFeedsScheduler(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ScheduledPublishing>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<ScheduledPublishing>());
        var sweep = TimeSpan.FromSeconds(builder.Configuration.GetValue<int?>($"{PublishingOptions.Section}:{nameof(PublishingOptions.SweepSeconds)}") ?? 30);
        builder.Services.AddQuartz(quartz =>
        {
            ScheduledPublishing.Configure(quartz);
            FeedRegeneration.Configure(quartz, sweep);
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }

    public static IHostApplicationBuilder AddFeedsPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FeedStore>();
        builder.Services.AddSingleton<FeedCache>();
        builder.Services.AddSingleton<PublishingMetrics>();
        builder.Services.AddSingleton<FeedPublisher>();
        builder.Services.AddSingleton<FeedRegeneration>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<FeedRegeneration>());
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PublishingOptions>>((forwarded, publishing) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in publishing.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        return builder;
    }

    public static IHostApplicationBuilder AddFeedsHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddQuartz(options => options.Name = "scheduler");
        return builder;
    }

    public static WebApplication MapFeedsHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new() { Predicate = _ => false });
        return app;
    }

    /// <summary>Everything that must be true before the first request: schema, admin token, samples, schedules.</summary>
    private sealed class StartupTasks(IServiceProvider services, IOptions<FeedsOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await services.GetRequiredService<Database>().InitializeAsync(cancellationToken);
            services.GetRequiredService<ApiTokens>();
            if (options.Value.SeedSamples)
            {
                await services.GetRequiredService<SampleSeeder>().SeedIfEmptyAsync(SampleSeeder.DefaultPath, cancellationToken);
            }

            // The month is part of it: a subscription document links the newest month that is over (RFC 5005 archives).
            var renderedWith = string.Create(CultureInfo.InvariantCulture,
                $"{services.GetRequiredService<FeedComposer>().Site} entries={services.GetRequiredService<IOptions<PublishingOptions>>().Value.EntriesPerFeed} output={FeedWriters.OutputRevision} month={services.GetRequiredService<TimeProvider>().GetUtcNow():yyyy-MM}");
            await services.GetRequiredService<FeedRegeneration>().PrepareAsync(services.GetRequiredService<TagStore>(), renderedWith, cancellationToken);
            await services.GetRequiredService<ScheduledPublishing>().RestoreAsync(services.GetRequiredService<PostStore>(), cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DatabaseHealthCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "select count(*) from schema_migrations";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("the database cannot be queried", e);
            }
        }
    }
}
