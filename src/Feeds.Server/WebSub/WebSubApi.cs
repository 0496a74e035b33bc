using Feeds.Contracts.WebSub;
using Feeds.Data.Delivery;
using Feeds.Data.WebSub;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.WebSub;

/// <summary><c>/api/websub</c>: who subscribes to the built-in hub, per topic, with lease and last distribution. Needs a token.</summary>
public static class WebSubApi
{
    public static IEndpointRouteBuilder MapWebSubApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/websub").WithTags("WebSub").RequireAuthorization();
        group.MapGet("/subscriptions", ListSubscriptions).WithName("ListWebSubSubscriptions")
            .WithSummary("Lists the hub's subscribers per topic, with their state, lease end and last distribution.");
        return app;
    }

    public static async Task<Ok<WebSubSubscriptionListResponse>> ListSubscriptions(
        WebSubSubscriptionStore subscriptions, OutboxStore outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var all = await subscriptions.ListAsync(cancellationToken);
        var last = await outbox.LastAttemptsAsync(WebSubSubscriptionStore.DistributionKind, cancellationToken);
        var topics = all.GroupBy(s => s.Topic, StringComparer.Ordinal).Select(topic => new WebSubTopicResponse(
            topic.Key,
            topic.Count(s => s.IsActive(now)),
            [.. topic.Select(s => ToResponse(s, last.GetValueOrDefault(s.Id.ToString("D")), now))]));
        return TypedResults.Ok(new WebSubSubscriptionListResponse([.. topics]));
    }

    private static WebSubSubscriberResponse ToResponse(WebSubSubscription subscription, DeliveryAttempt? last, DateTimeOffset now) => new(
        subscription.Id,
        subscription.Callback,
        subscription.IsActive(now) ? "active" : "expired",
        subscription.LeaseSeconds,
        subscription.LeaseEndsAt.UtcDateTime,
        subscription.VerifiedAt.UtcDateTime,
        subscription.CreatedAt.UtcDateTime,
        subscription.Secret is not null,
        last is null ? null : new WebSubDeliveryResponse(last.AttemptedAt.UtcDateTime, last.StatusCode, last.Error));
}
