using System.Globalization;
using Feeds.Core.Syndication;
using Feeds.Data.Feeds;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Quartz;

namespace Feeds.Server.Publishing;

public static class PublishingHosting
{
    /// <summary>
    /// Publishing settings, the feed composer, store, cache, static files, publisher and regeneration with its Quartz
    /// jobs, the forwarded headers of trusted proxies, the start-up steps that prepare the stored feeds and the static
    /// directory, and on PostgreSQL the listener that keeps this node in step with the others' renders.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublishingOptions>()
            .BindConfiguration(PublishingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new FeedComposer(sp.GetRequiredService<IOptions<PublishingOptions>>().Value
            .ToSite(sp.GetRequiredService<IOptions<FeedsOptions>>().Value)));
        builder.Services.AddSingleton<FeedStore>();
        builder.Services.AddSingleton<FeedCache>();
        builder.Services.AddSingleton<FeedFiles>();
        builder.Services.AddSingleton<PublishingMetrics>();
        builder.Services.AddSingleton<FeedPublisher>();
        builder.Services.AddSingleton<FeedRegeneration>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<FeedRegeneration>());
        var sweep = TimeSpan.FromSeconds(builder.Configuration.GetValue<int?>($"{PublishingOptions.Section}:{nameof(PublishingOptions.SweepSeconds)}") ?? 30);
        builder.Services.AddQuartz(quartz => FeedRegeneration.Configure(quartz, sweep));
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PublishingOptions>>((forwarded, publishing) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in publishing.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        builder.AddStartupStep("feeds", PrepareFeedsAsync);
        builder.AddStartupStep("feed files", (services, cancellationToken) =>
            services.GetRequiredService<FeedFiles>().SyncAsync(services.GetRequiredService<FeedStore>(), cancellationToken));
        if (SchedulerCluster.IsClustered(builder.Configuration, out _))
        {
            builder.Services.AddSingleton<FeedChangeListener>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedChangeListener>());
            builder.Services.AddSingleton<IClusterNotificationHandler>(sp => sp.GetRequiredService<FeedChangeListener>());
        }

        return builder;
    }

    private static Task PrepareFeedsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The month is part of it: a subscription document links the newest month that is over (RFC 5005 archives).
        var renderedWith = string.Create(CultureInfo.InvariantCulture,
            $"{services.GetRequiredService<FeedComposer>().Site} entries={services.GetRequiredService<IOptions<PublishingOptions>>().Value.EntriesPerFeed} output={FeedWriters.OutputRevision} hub={services.GetService<WebSub.WebSubDiscovery>()?.HubUrl} month={services.GetRequiredService<TimeProvider>().GetUtcNow():yyyy-MM}");
        return services.GetRequiredService<FeedRegeneration>().PrepareAsync(services.GetRequiredService<TagStore>(), renderedWith, cancellationToken);
    }
}
