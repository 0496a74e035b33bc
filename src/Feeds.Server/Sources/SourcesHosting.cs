using Feeds.Data.Sources;
using Feeds.Server.Sources.Push;
using Quartz;

namespace Feeds.Server.Sources;

public static class SourcesHosting
{
    /// <summary>
    /// Source settings, store, fetcher and poller, the Quartz job that polls due sources, and the subscriber that has
    /// sources pushed by the WebSub hubs their feeds advertise.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SourceOptions>()
            .BindConfiguration(SourceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SourceStore>();
        builder.Services.AddSingleton<MemoryReclaimer>();
        builder.Services.AddSingleton<SourceFetcher>();
        builder.Services.AddSingleton<FeedLocator>();
        builder.Services.AddSingleton<PollSchedule>();
        builder.Services.AddSingleton<SourcePoller>();
        builder.Services.AddSingleton<SourcePushStore>();
        builder.Services.AddSingleton<SourceSubscriber>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SourceSubscriber>());
        var sweep = builder.Configuration.GetValue<TimeSpan?>($"{SourceOptions.Section}:{nameof(SourceOptions.SweepInterval)}") ?? new SourceOptions().SweepInterval;
        builder.Services.AddQuartz(quartz => PollSourcesJob.Configure(quartz, sweep));
        return builder;
    }

    /// <summary>The source API and the callbacks of the sources' WebSub subscriptions.</summary>
    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder app) => app.MapSourcesApi().MapSourceCallbacks();
}
