using Feeds.Data.Delivery;
using Feeds.Data.Feeds;
using Feeds.Data.WebSub;
using Feeds.Server.Delivery;

namespace Feeds.Server.WebSub;

public static class WebSubHosting
{
    /// <summary>
    /// WebSub settings, the shared outbox with its dispatcher, the built-in hub (topics, verifier, distributions and
    /// their sender) and the pings of an external hub.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsWebSub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebSubOptions>()
            .BindConfiguration(WebSubOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddFeedsDelivery();
        builder.Services.AddSingleton<WebSubSubscriptionStore>();
        builder.Services.AddSingleton<WebSubTopics>();
        builder.Services.AddSingleton<WebSubDiscovery>();
        builder.Services.AddSingleton<CallbackRateLimiter>();
        builder.Services.AddSingleton<WebSubVerifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebSubVerifier>());
        builder.Services.AddSingleton<IDeliverySender, WebSubSender>();
        builder.Services.AddSingleton<IDeliverySender, HubPingSender>();
        builder.Services.AddSingleton<WebSubDistribution>();
        builder.Services.AddSingleton<IFeedSavedHook>(sp => sp.GetRequiredService<WebSubDistribution>());
        return builder;
    }

    public static IEndpointRouteBuilder MapWebSub(this IEndpointRouteBuilder app) => app.MapWebSubHub().MapWebSubApi();
}
