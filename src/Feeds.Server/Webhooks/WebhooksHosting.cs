using Feeds.Server.Hosting;
using Feeds.Data.Posts;
using Feeds.Data.Webhooks;

namespace Feeds.Server.Webhooks;

public static class WebhooksHosting
{
    /// <summary>Webhook settings, store, sender and dispatcher, and the post hook that fills the outbox.</summary>
    public static IHostApplicationBuilder AddFeedsWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<WebhookRetryPolicy>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        // Registered after the data services, so the schema is in place before the dispatcher's first look.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<WebhookOutbox>());
        if (SchedulerCluster.IsClustered(builder.Configuration, out _))
        {
            builder.Services.AddSingleton<IClusterNotificationHandler, WebhookSubscriptionChanges>();
        }

        return builder;
    }
}
