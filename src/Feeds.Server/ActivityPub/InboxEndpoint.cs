using System.Text.Json;
using System.Text.Json.Nodes;
using Feeds.Core.ActivityPub;
using Feeds.Data.ActivityPub;
using Feeds.Data.Delivery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// The inboxes (<c>/ap/inbox</c>, shared, and each actor's): signed POSTs only. <c>Follow</c> of one of the site's
/// actors stores the follower and queues a signed <c>Accept</c> in the same transaction; <c>Undo</c> of a follow ends
/// it; <c>Delete</c> of an actor ends all its follows; anything else is accepted and ignored.
/// </summary>
public static partial class InboxEndpoint
{
    public static async Task<Results<Accepted, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, [AsParameters] ActivityPubServices services, ILogger<ActivityPubServices> logger, CancellationToken cancellationToken)
    {
        if (!services.Actors.Enabled)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", "This site does not take part in the fediverse.");
        }

        var limit = services.Options.Value.MaxInboxBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var host = SignatureHeader.Parse(request.Headers["Signature"].ToString()) is { } declared && Uri.TryCreate(declared.KeyId, UriKind.Absolute, out var keyUrl)
            ? keyUrl.Host
            : request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!services.RateLimiter.TryAcquire(host))
        {
            return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"Requests from {host} are over the limit; try again in a minute.");
        }

        var body = await ReadBodyAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return TooLarge(limit);
        }

        var now = services.Clock.GetUtcNow();
        var (signer, refusal) = await SignedRequest.VerifyAsync(request, body, services.Remote, services.Options.Value.SignatureWindow, now, cancellationToken);
        if (signer is null)
        {
            LogRefused(logger, host, refusal!);
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", refusal!);
        }

        JsonObject? activity;
        try
        {
            activity = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity is null || Text(activity["type"]) is not { } type)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "The body must be an ActivityStreams object with a 'type'.");
        }

        if (IdOf(activity["actor"]) != signer.Id)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "The activity's 'actor' is not the actor that signed it.");
        }

        return type switch
        {
            "Follow" => await FollowAsync(activity, signer, services, now, cancellationToken),
            "Undo" => await UndoAsync(activity, signer, services, cancellationToken),
            "Delete" when IdOf(activity["object"]) == signer.Id => await DeleteActorAsync(signer, services, cancellationToken),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> FollowAsync(
        JsonObject follow, RemoteActor signer, ActivityPubServices services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await services.Resolver.ResolveIdAsync(IdOf(follow["object"]), cancellationToken) is not { } actor)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", "The 'object' of the Follow is none of this site's actors.");
        }

        if (IdOf(follow["id"]) is not { } followId)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "The Follow has no 'id'.");
        }

        var accept = services.Documents.Accept(actor, follow, signer.Id, Guid.CreateVersion7(now));
        await services.Followers.FollowAsync(
            new Follower(actor.Key, signer.Id, signer.Inbox, signer.SharedInbox, followId, now),
            new NewDelivery(ActivityPubSender.DeliveryKind, signer.Inbox, null, accept.ToJsonString()),
            now,
            cancellationToken);
        services.Signal.Raise();
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> UndoAsync(
        JsonObject undo, RemoteActor signer, ActivityPubServices services, CancellationToken cancellationToken)
    {
        if (undo["object"] is JsonObject undone && Text(undone["type"]) == "Follow"
            && await services.Resolver.ResolveIdAsync(IdOf(undone["object"]), cancellationToken) is { } actor)
        {
            await services.Followers.UnfollowAsync(actor.Key, signer.Id, cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> DeleteActorAsync(
        RemoteActor signer, ActivityPubServices services, CancellationToken cancellationToken)
    {
        await services.Followers.RemoveFollowerAsync(signer.Id, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>An id given as a string or as an object carrying one.</summary>
    private static string? IdOf(JsonNode? node) => node is JsonObject o ? Text(o["id"]) : Text(node);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The inbox takes bodies of at most {limit} bytes.");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "ActivityPub inbox refused a request from {Host}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);
}
