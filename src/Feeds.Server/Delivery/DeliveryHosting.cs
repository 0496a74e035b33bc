using Feeds.Data.Delivery;

namespace Feeds.Server.Delivery;

public static class DeliveryHosting
{
    /// <summary>The shared outbox and its dispatcher, once, for every feature whose deliveries go through it.</summary>
    public static IHostApplicationBuilder AddFeedsDelivery(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(OutboxDispatcher)))
        {
            return builder;
        }

        builder.Services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        // Registered after the data services, so the schema is in place before the dispatcher's first look.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return builder;
    }
}
