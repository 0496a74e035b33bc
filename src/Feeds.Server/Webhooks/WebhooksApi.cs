using Feeds.Contracts.Webhooks;
using Feeds.Core.Posts;
using Feeds.Core.Webhooks;
using Feeds.Data;
using Feeds.Data.Webhooks;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// <c>/api/webhooks</c>: subscribe endpoints, rotate their secrets, ping them, and inspect and replay what was sent.
/// Every route needs a token.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization();
        group.MapPost("/", CreateWebhook).WithName("CreateWebhook").WithSummary("Subscribes an endpoint; its signing secret is returned this once.");
        group.MapGet("/", ListWebhooks).WithName("ListWebhooks").WithSummary("Lists webhook endpoints.");
        group.MapGet("/{id:guid}", GetWebhook).WithName("GetWebhook").WithSummary("Gets one webhook endpoint.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", PatchWebhook).WithName("PatchWebhook")
            .WithSummary("Changes url, events, tags or enabled; enabling again delivers the backlog.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", DeleteWebhook).WithName("DeleteWebhook").WithSummary("Deletes an endpoint with its messages and attempts.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Issues a new secret; the old one keeps signing for the configured overlap.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/ping", Ping).WithName("PingWebhook").WithSummary("Sends a webhook.ping at once and returns how it went.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/messages", ListMessages).WithName("ListWebhookMessages").WithSummary("Lists messages, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/attempts", ListAttempts).WithName("ListWebhookAttempts").WithSummary("Lists delivery attempts, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/replay", Replay).WithName("ReplayWebhookMessages")
            .WithSummary("Sends one message, or a time range of them, again under their original ids.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<WebhookWithSecretResponse>, ValidationProblem>> CreateWebhook(
        WebhookInput input, WebhookStore store, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var url = await CheckUrlAsync(input.Url, options.Value, problems, cancellationToken);
        var events = CheckEvents(input.Events ?? WebhookEventTypes.Subscribable, problems);
        var tags = CheckTags(input.Tags ?? [], problems);
        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var secret = WebhookSecret.Generate().Encoded;
        var endpoint = await store.CreateEndpointAsync(new NewWebhookEndpoint(url!, events, tags, secret), clock.GetUtcNow(), cancellationToken);
        return TypedResults.Created($"/api/webhooks/{endpoint.Id}", endpoint.ToResponse(secret));
    }

    public static async Task<Ok<WebhookListResponse>> ListWebhooks(WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WebhookListResponse([.. (await store.ListEndpointsAsync(cancellationToken)).Select(e => e.ToResponse())]));

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(Guid id, WebhookStore store, CancellationToken cancellationToken) =>
        await store.GetEndpointAsync(id, cancellationToken) is { } endpoint ? TypedResults.Ok(endpoint.ToResponse()) : NotFound(id);

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> PatchWebhook(
        Guid id, WebhookPatch patch, [AsParameters] WebhookServices services, CancellationToken cancellationToken)
    {
        var (store, dispatcher, _, _, options, clock) = services;
        var problems = new ProblemList();
        var url = patch.Url is null ? null : await CheckUrlAsync(patch.Url, options.Value, problems, cancellationToken);
        var events = patch.Events is null ? null : CheckEvents(patch.Events, problems);
        var tags = patch.Tags is null ? null : CheckTags(patch.Tags, problems);
        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var endpoint = await store.UpdateEndpointAsync(id, new WebhookEndpointChange(url, events, tags, patch.Enabled), clock.GetUtcNow(), cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        dispatcher.Wake();
        return TypedResults.Ok(endpoint.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(Guid id, WebhookStore store, CancellationToken cancellationToken) =>
        await store.DeleteEndpointAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    public static async Task<Results<Ok<WebhookWithSecretResponse>, ProblemHttpResult>> RotateSecret(
        Guid id, WebhookStore store, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secret = WebhookSecret.Generate().Encoded;
        var endpoint = await store.RotateSecretAsync(id, secret, now + options.Value.SecretRotationOverlap, now, cancellationToken);
        return endpoint is null ? NotFound(id) : TypedResults.Ok(endpoint.ToResponse(secret));
    }

    /// <summary>Pings go out from the request itself, past the dispatcher's queue, and are never retried.</summary>
    public static async Task<Results<Ok<PingResponse>, ProblemHttpResult>> Ping(
        Guid id, [AsParameters] WebhookServices services, CancellationToken cancellationToken)
    {
        var (store, _, sender, retryPolicy, options, clock) = services;
        var target = await store.GetTargetAsync(id, cancellationToken);
        if (target is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        var body = WebhookPayloads.ForPing(id, now);
        var messageId = await store.CreatePingAsync(id, body, now, cancellationToken);
        var result = await sender.SendAsync(messageId, body, target, cancellationToken);
        var record = retryPolicy.Decide(result, retryStep: 0, retry: false);
        await store.RecordAsync(
            [record], clock.GetUtcNow() - options.Value.DisableAfterFailingFor, $"every attempt failed for {options.Value.DisableAfterFailingFor}", cancellationToken);
        return TypedResults.Ok(new PingResponse(messageId, result.Error is null, result.Attempt.ToResponse()));
    }

    public static async Task<Results<Ok<WebhookMessageListResponse>, ValidationProblem, ProblemHttpResult>> ListMessages(
        Guid id, WebhookStore store, string? status, int? limit, string? before, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        if (status is not null && !WebhookMessageStatus.IsKnown(status))
        {
            problems.Add("status", "must be pending, delivered or failed.");
        }

        CheckLimit(limit, problems);
        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        if (await store.GetEndpointAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var take = limit ?? 50;
        var messages = await store.ListMessagesAsync(id, status, MessageBefore(before), take, cancellationToken);
        var next = messages.Count == take ? KeysetCursor.Encode(messages[^1].Id) : null;
        return TypedResults.Ok(new WebhookMessageListResponse([.. messages.Select(m => m.ToResponse())], next));
    }

    public static async Task<Results<Ok<WebhookAttemptListResponse>, ValidationProblem, ProblemHttpResult>> ListAttempts(
        Guid id, WebhookStore store, string? messageId, int? limit, string? before, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        CheckLimit(limit, problems);
        if (!TryReadAttemptBefore(before, out var beforeAttempt))
        {
            problems.Add("before", "is not a cursor this API handed out.");
        }

        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        if (await store.GetEndpointAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var take = limit ?? 50;
        var attempts = await store.ListAttemptsAsync(id, messageId, beforeAttempt, take, cancellationToken);
        var next = attempts.Count == take ? KeysetCursor.Encode(attempts[^1].Id.ToString()) : null;
        return TypedResults.Ok(new WebhookAttemptListResponse([.. attempts.Select(a => a.ToResponse())], next));
    }

    public static async Task<Results<Accepted<ReplayResponse>, ValidationProblem, ProblemHttpResult>> Replay(
        Guid id, ReplayRequest request, [AsParameters] WebhookServices services, CancellationToken cancellationToken)
    {
        var (store, dispatcher, _, _, _, clock) = services;
        var problems = CheckReplay(request);
        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        if (await store.GetEndpointAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        if (request.MessageId is not null && await store.GetMessageAsync(id, request.MessageId, cancellationToken) is null)
        {
            return Problems.NotFound("Webhook message", $"Endpoint {id} has no message {request.MessageId}.");
        }

        var replayed = await store.ReplayAsync(id, request.MessageId, request.Since, request.Until, request.Status, clock.GetUtcNow(), cancellationToken);
        dispatcher.Wake();
        return TypedResults.Accepted($"/api/webhooks/{id}/messages", new ReplayResponse(replayed));
    }

    private static ProblemList CheckReplay(ReplayRequest request)
    {
        var problems = new ProblemList();
        if (request.MessageId is not null)
        {
            if (request.Since is not null || request.Until is not null || request.Status is not null)
            {
                problems.Add("messageId", "replays one message; leave out since, until and status, or leave out messageId to replay a range.");
            }

            return problems;
        }

        if (request.Since is null)
        {
            problems.Add("since", "is required to replay a range (or give messageId to replay one message).");
        }

        if (request.Since is { } since && request.Until is { } until && until <= since)
        {
            problems.Add("until", "must be later than since.");
        }

        if (request.Status is not null && !WebhookMessageStatus.IsKnown(request.Status))
        {
            problems.Add("status", "must be pending, delivered or failed.");
        }

        return problems;
    }

    // Messages and attempts page by their ids, which sort by creation time. Pages handed out before cursors were
    // encoded named the raw id, which is still read; it is asked first, since it can never be a cursor's text.
    private static string? MessageBefore(string? before) =>
        before is null || before.StartsWith(WebhookMessageId.Prefix, StringComparison.Ordinal) || !KeysetCursor.TryDecode(before, 1, out var parts)
            ? before
            : parts[0];

    private static bool TryReadAttemptBefore(string? before, out Guid? attemptId)
    {
        attemptId = null;
        if (before is null)
        {
            return true;
        }

        if (Guid.TryParse(before, out var id) || (KeysetCursor.TryDecode(before, 1, out var parts) && Guid.TryParse(parts[0], out id)))
        {
            attemptId = id;
            return true;
        }

        return false;
    }

    private static void CheckLimit(int? limit, ProblemList problems)
    {
        if (limit is < 1 or > WebhookStore.MaxPageSize)
        {
            problems.Add("limit", $"must be between 1 and {WebhookStore.MaxPageSize}.");
        }
    }

    private static async Task<string?> CheckUrlAsync(string? url, WebhookOptions options, ProblemList problems, CancellationToken cancellationToken) =>
        (await OutboundUrlChecks.CheckAsync(url, "url", options.ToOutboundOptions(), problems, cancellationToken))?.AbsoluteUri;

    private static List<string> CheckEvents(IReadOnlyList<string?> events, ProblemList problems)
    {
        if (events.Count == 0)
        {
            problems.Add("events", $"must list at least one of {string.Join(", ", WebhookEventTypes.Subscribable)}; leave it out for all of them.");
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (!WebhookEventTypes.Subscribable.Contains(events[i]))
            {
                problems.Add($"events[{i}]", $"must be one of {string.Join(", ", WebhookEventTypes.Subscribable)}.");
            }
        }

        return [.. events.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static List<string> CheckTags(IReadOnlyList<string?> tags, ProblemList problems) =>
        [.. (TagRules.Check(tags, "tags", problems) ?? []).Select(t => t.Slug)];

    private static ProblemHttpResult NotFound(Guid id) => Problems.NotFound("Webhook endpoint", $"There is no webhook endpoint with id {id}.");
}
