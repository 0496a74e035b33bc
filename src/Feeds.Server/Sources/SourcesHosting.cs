using Feeds.Data.Sources;
using Quartz;

namespace Feeds.Server.Sources;

public static class SourcesHosting
{
    /// <summary>Source settings, store, fetcher and poller, and the Quartz job that polls due sources.</summary>
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
        var sweep = builder.Configuration.GetValue<TimeSpan?>($"{SourceOptions.Section}:{nameof(SourceOptions.SweepInterval)}") ?? new SourceOptions().SweepInterval;
        builder.Services.AddQuartz(quartz => PollSourcesJob.Configure(quartz, sweep));
        return builder;
    }
}
