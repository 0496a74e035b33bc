using Feeds.Data.ActivityPub;
using Feeds.Data.Posts;
using Feeds.Server.Delivery;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

public static partial class ActivityPubHosting
{
    /// <summary>
    /// ActivityPub settings, the site's key pair (loaded or made at start-up), the actors and their documents, the
    /// inbox's helpers, the post hook that queues deliveries in the shared outbox, and their sender.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsActivityPub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ActivityPubOptions>()
            .BindConfiguration(ActivityPubOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The key is loaded before the shared dispatcher (added next) can send anything that needs it.
        builder.AddStartupStep("activitypub", LoadKeyAsync);
        builder.AddFeedsDelivery();
        builder.Services.AddSingleton<SiteKeyStore>();
        builder.Services.AddSingleton<FollowerStore>();
        builder.Services.AddSingleton<SiteKey>();
        builder.Services.AddSingleton<ActivityPubActors>();
        builder.Services.AddSingleton<ActorResolver>();
        builder.Services.AddSingleton<ActivityPubDocuments>();
        builder.Services.AddSingleton<RemoteActors>();
        builder.Services.AddSingleton<InboxRateLimiter>();
        builder.Services.AddSingleton<IDeliverySender, ActivityPubSender>();
        builder.Services.AddSingleton<ActivityPubOutbox>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<ActivityPubOutbox>());
        return builder;
    }

    public static IEndpointRouteBuilder MapFeedsActivityPub(this IEndpointRouteBuilder app) => app.MapActivityPub().MapFollowersApi();

    private static async Task LoadKeyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<ActivityPubOptions>>().Value;
        var baseUrl = new Uri(services.GetRequiredService<IOptions<FeedsOptions>>().Value.BaseUrl);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Feeds.Server.ActivityPub");
        var enabled = options.IsEnabled(baseUrl, out var reason);
        LogState(logger, enabled ? "on" : "off", reason);
        if (!enabled)
        {
            // Nothing is signed or published while off: the key is made on the first start with ActivityPub on, before
            // the site has an identity anywhere in the fediverse, and kept from then on.
            return;
        }

        await services.GetRequiredService<SiteKey>().LoadAsync(
            services.GetRequiredService<SiteKeyStore>(), services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ActivityPub is {State}: {Reason}")]
    private static partial void LogState(ILogger logger, string state, string reason);
}
