using System.Globalization;
using Feeds.Core.Parsing;
using Feeds.Core.WebSub;
using Feeds.Data.Sources;
using Feeds.Outbound;
using Feeds.Server.WebSub;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources.Push;

/// <summary>
/// The callbacks of source subscriptions, <c>/websub/sources/{token}</c>. <c>GET</c> is the hub's verification of
/// intent (section 5.3), confirmed only for a subscription Feeds asked for, naming the topic it asked for, or its
/// denial (section 5.2). <c>POST</c> is a content distribution (section 7): read as a poll reads a fetched body when its
/// <c>X-Hub-Signature</c> is right, ignored otherwise (section 8: still acknowledged with 2xx, so a forger learns nothing).
/// </summary>
public static partial class SourceCallbackEndpoint
{
    public static IEndpointRouteBuilder MapSourceCallbacks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/websub/sources").WithTags("WebSub");
        group.MapGet("/{token}", Verify).WithName("SourceCallbackVerify")
            .WithSummary("WebSub callback of a source: the upstream hub verifies the subscription (hub.mode, hub.topic, hub.challenge, hub.lease_seconds) or denies it.");
        group.MapPost("/{token}", Receive).WithName("SourceCallbackReceive")
            .WithSummary("WebSub callback of a source: the upstream hub pushes the feed's new content, signed with X-Hub-Signature.")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<ContentHttpResult, Ok, NotFound, BadRequest>> Verify(
        string token, HttpRequest request, [AsParameters] SourcePushServices services, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var mode = query["hub.mode"].ToString();
        var topic = query["hub.topic"].ToString();
        if (mode.Length == 0 || topic.Length == 0)
        {
            return TypedResults.BadRequest();
        }

        if (await services.Store.FindByCallbackAsync(token, cancellationToken) is not { Push: { } push } source
            || !string.Equals(topic, push.Topic, StringComparison.Ordinal))
        {
            // Section 5.3: a subscriber that does not agree with the action answers 404.
            return TypedResults.NotFound();
        }

        var now = services.Clock.GetUtcNow();
        if (mode == HubModes.Denied)
        {
            var reason = query["hub.reason"].ToString();
            var text = $"The hub at {push.Hub} denied the subscription{(reason.Length == 0 ? "." : $": {Shorten(reason)}")}";
            await services.Store.RecordFailedAsync(source.Id, push, text, now, now + SourceSubscriber.RetryFailedAfter, cancellationToken);
            LogDenied(services.Logger, source.Id, text);
            return TypedResults.Ok();
        }

        var challenge = query["hub.challenge"].ToString();
        if (mode != HubModes.Subscribe || challenge.Length == 0 || push.State is not (PushState.Requested or PushState.Active))
        {
            // Feeds never asks to unsubscribe: it lets a callback go, answering its pushes with 410.
            return TypedResults.NotFound();
        }

        var options = services.Options.Value;
        var lease = long.TryParse(query["hub.lease_seconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var granted) && granted > 0
            ? TimeSpan.FromSeconds(Math.Min(granted, 366L * 24 * 3600))
            : TimeSpan.FromSeconds(options.SourceLeaseSeconds);
        await services.Store.RecordVerifiedAsync(
            source.Id, token, now, now + lease, now + lease * 0.8, services.Schedule.SafetyInterval, IntervalReason.Pushed.Code, cancellationToken);
        LogVerified(services.Logger, source.Id, push.Hub, now + lease);
        return TypedResults.Text(challenge, "text/plain; charset=utf-8");
    }

    public static async Task<Results<Accepted, StatusCodeHttpResult>> Receive(
        string token, HttpRequest request, [AsParameters] SourcePushServices services, CancellationToken cancellationToken)
    {
        if (await services.Store.FindByCallbackAsync(token, cancellationToken) is not { Push: { Secret: { } secret } push } source)
        {
            // Section 7: 410 tells the hub this subscription is gone.
            return TypedResults.StatusCode(StatusCodes.Status410Gone);
        }

        PooledBody body;
        try
        {
            using var content = new StreamContent(request.Body);
            content.Headers.ContentLength = request.ContentLength;
            body = await BoundedBody.ReadLimitedAsync(content, FeedLimits.MaxBodyBytes, cancellationToken);
        }
        catch (ResponseTooLargeException)
        {
            LogTooLarge(services.Logger, source.Id, FeedLimits.MaxBodyBytes);
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using (body)
        {
            if (!HubSignature.Verify(request.Headers[HubSignature.Header].ToString() is { Length: > 0 } header ? header : null, secret, body.Span))
            {
                LogBadSignature(services.Logger, source.Id, request.Headers.ContainsKey(HubSignature.Header));
                return TypedResults.Accepted((string?)null);
            }

            await services.Store.RecordPushAsync(source.Id, token, services.Clock.GetUtcNow(), cancellationToken);
            var result = await services.Poller.ReceivePushAsync(source, body, request.ContentType, cancellationToken);
            LogPushed(services.Logger, source.Id, push.Hub, result.NewPosts, result.Error);
            return TypedResults.Accepted((string?)null);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: the hub of source {SourceId} denied it: {Reason}")]
    private static partial void LogDenied(ILogger logger, long sourceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: {Hub} verified source {SourceId}'s subscription until {LeaseEndsAt}")]
    private static partial void LogVerified(ILogger logger, long sourceId, string hub, DateTimeOffset leaseEndsAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub: a push to source {SourceId} was ignored: its signature is wrong (signed: {Signed})")]
    private static partial void LogBadSignature(ILogger logger, long sourceId, bool signed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub: a push to source {SourceId} was refused: over {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, long sourceId, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: {Hub} pushed source {SourceId}: {NewPosts} new posts, error: {Error}")]
    private static partial void LogPushed(ILogger logger, long sourceId, string hub, int newPosts, string? error);
}
