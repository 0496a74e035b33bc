using System.Text.Json.Nodes;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Discovery (WebFinger, RFC 7033; NodeInfo 2.1), the actor documents, their outboxes (paged) and followers
/// (counted), each post as a note, and the inboxes. Every read answers <c>404</c> while ActivityPub is off.
/// </summary>
public static class ActivityPubEndpoints
{
    public const int OutboxPageSize = 20;

    private static readonly HashSet<PostStatus> _published = [PostStatus.Published];

    public static IEndpointRouteBuilder MapActivityPub(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/webfinger", WebFinger).WithName("WebFinger").WithTags("ActivityPub")
            .WithSummary("Finds the site's actor or a tag's (acct:NAME@HOST, RFC 7033).");
        app.MapGet("/.well-known/nodeinfo", NodeInfoLinks).WithName("NodeInfoLinks").ExcludeFromDescription();
        app.MapGet("/nodeinfo/2.1", NodeInfo).WithName("NodeInfo").ExcludeFromDescription();

        var ap = app.MapGroup("/ap").WithTags("ActivityPub").ExcludeFromDescription();
        ap.MapGet("/actor", (TagStore tags, [AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Actor(null, services, tags, ct)).WithName("SiteActor");
        ap.MapGet("/tags/{slug}", (string slug, TagStore tags, [AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Actor(slug, services, tags, ct)).WithName("TagActor");
        ap.MapGet("/actor/outbox", (bool? page, string? before, [AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Outbox(null, page, before, services, ct)).WithName("SiteOutbox");
        ap.MapGet("/tags/{slug}/outbox", (string slug, bool? page, string? before, [AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Outbox(slug, page, before, services, ct)).WithName("TagOutbox");
        ap.MapGet("/actor/followers", ([AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Followers(null, services, ct)).WithName("SiteFollowers");
        ap.MapGet("/tags/{slug}/followers", (string slug, [AsParameters] ActivityPubServices services, CancellationToken ct) =>
            Followers(slug, services, ct)).WithName("TagFollowers");
        ap.MapGet("/posts/{id:guid}", Note).WithName("PostNote");
        ap.MapPost("/inbox", InboxEndpoint.ReceiveAsync).WithName("SharedInbox").DisableAntiforgery();
        ap.MapPost("/actor/inbox", InboxEndpoint.ReceiveAsync).WithName("SiteInbox").DisableAntiforgery();
        ap.MapPost("/tags/{slug}/inbox", InboxEndpoint.ReceiveAsync).WithName("TagInbox").DisableAntiforgery();
        return app;
    }

    public static async Task<Results<ActivityJsonResult, ProblemHttpResult>> WebFinger(
        string? resource, HttpResponse response, ActivityPubActors actors, ActorResolver resolver, CancellationToken cancellationToken)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        if (!actors.Enabled)
        {
            return Problems.NotFound("Account", "This site does not take part in the fediverse.");
        }

        if (string.IsNullOrWhiteSpace(resource))
        {
            return ValidationProblem("resource", "Name an account as acct:NAME@HOST, or an actor's URL.");
        }

        ActorRef? actor;
        if (resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            var account = resource["acct:".Length..].TrimStart('@');
            var at = account.LastIndexOf('@');
            if (at <= 0)
            {
                return ValidationProblem("resource", "An acct: resource is NAME@HOST.");
            }

            if (!account[(at + 1)..].Equals(actors.Domain, StringComparison.OrdinalIgnoreCase))
            {
                return Problems.NotFound("Account", $"This site is {actors.Domain}.");
            }

            actor = await resolver.ResolveNameAsync(account[..at], cancellationToken);
        }
        else
        {
            actor = await resolver.ResolveIdAsync(resource, cancellationToken);
        }

        if (actor is null)
        {
            return Problems.NotFound("Account", $"There is no account '{resource}' here.");
        }

        var id = actors.Id(actor);
        return new ActivityJsonResult(new JsonObject
        {
            ["subject"] = "acct:" + actors.Name(actor) + "@" + actors.Domain,
            ["aliases"] = new JsonArray(id),
            ["links"] = new JsonArray(
                new JsonObject { ["rel"] = "self", ["type"] = ActivityStreams.MediaType, ["href"] = id },
                new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = ProfilePage(actors, actor) }),
        }, "application/jrd+json");
    }

    public static Results<ActivityJsonResult, ProblemHttpResult> NodeInfoLinks(ActivityPubActors actors) =>
        !actors.Enabled
            ? Problems.NotFound("NodeInfo", "This site does not take part in the fediverse.")
            : new ActivityJsonResult(new JsonObject
            {
                ["links"] = new JsonArray(new JsonObject
                {
                    ["rel"] = "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    ["href"] = actors.SiteUrl("/nodeinfo/2.1"),
                }),
            }, "application/json");

    public static async Task<Results<ActivityJsonResult, ProblemHttpResult>> NodeInfo(ActivityPubActors actors, TagStore tags, CancellationToken cancellationToken)
    {
        if (!actors.Enabled)
        {
            return Problems.NotFound("NodeInfo", "This site does not take part in the fediverse.");
        }

        var publicTags = (await tags.ListAsync(cancellationToken)).Count(t => t.IsPublic);
        return new ActivityJsonResult(new JsonObject
        {
            ["version"] = "2.1",
            ["software"] = new JsonObject
            {
                ["name"] = "feeds",
                ["version"] = typeof(ActivityPubEndpoints).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
            },
            ["protocols"] = new JsonArray("activitypub"),
            ["services"] = new JsonObject { ["inbound"] = new JsonArray(), ["outbound"] = new JsonArray("atom1.0", "rss2.0") },
            ["openRegistrations"] = false,
            ["usage"] = new JsonObject { ["users"] = new JsonObject { ["total"] = 1 + publicTags } },
            ["metadata"] = new JsonObject { ["nodeName"] = actors.Domain },
        }, "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"");
    }

    private static async Task<Results<ActivityJsonResult, ProblemHttpResult>> Actor(
        string? slug, ActivityPubServices services, TagStore tags, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, services, cancellationToken) is not { } actor)
        {
            return Problems.NotFound("Actor", "There is no such actor here.");
        }

        var tag = actor.IsSite ? null : await tags.GetPublicAsync(actor.TagSlug!, cancellationToken);
        return new ActivityJsonResult(services.Documents.Actor(actor, tag));
    }

    private static async Task<Results<ActivityJsonResult, ProblemHttpResult>> Outbox(
        string? slug, bool? page, string? before, ActivityPubServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, services, cancellationToken) is not { } actor)
        {
            return Problems.NotFound("Actor", "There is no such actor here.");
        }

        var outbox = services.Actors.Outbox(actor);
        if (page != true)
        {
            return new ActivityJsonResult(ActivityPubDocuments.Collection(outbox, null, outbox + "?page=true"));
        }

        PostCursor? cursor = null;
        if (before is not null && !PostCursor.TryDecode(before, out cursor))
        {
            return ValidationProblem("before", "The 'before' parameter is not a position this site gave out.");
        }

        var posts = await services.Posts.ListAsync(new PostQuery
        {
            Statuses = _published,
            AllTagSlugs = actor.IsSite ? [] : [actor.TagSlug!],
            Limit = OutboxPageSize,
            After = cursor,
        }, cancellationToken);
        var items = new JsonArray([.. posts.Posts.Select(p => (JsonNode)services.Documents.Create(p))]);
        foreach (var item in items)
        {
            item!.AsObject().Remove("@context");
        }

        var document = new JsonObject
        {
            ["@context"] = ActivityStreams.Context,
            ["id"] = outbox + "?page=true" + (before is null ? "" : "&before=" + Uri.EscapeDataString(before)),
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = outbox,
            ["orderedItems"] = items,
        };
        if (posts.Next is { } next)
        {
            document["next"] = outbox + "?page=true&before=" + Uri.EscapeDataString(next.Encode());
        }

        return new ActivityJsonResult(document);
    }

    private static async Task<Results<ActivityJsonResult, ProblemHttpResult>> Followers(string? slug, ActivityPubServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, services, cancellationToken) is not { } actor)
        {
            return Problems.NotFound("Actor", "There is no such actor here.");
        }

        // The count only, as Mastodon shows it: who follows is the followers' business.
        var count = await services.Followers.CountAsync(actor.Key, cancellationToken);
        return new ActivityJsonResult(ActivityPubDocuments.Collection(services.Actors.Followers(actor), count, null));
    }

    public static async Task<Results<ActivityJsonResult, ProblemHttpResult>> Note(
        Guid id, ActivityPubActors actors, ActivityPubDocuments documents, PostQueries posts, CancellationToken cancellationToken)
    {
        if (!actors.Enabled || await posts.GetAsync(id, cancellationToken) is not { Status: PostStatus.Published } post)
        {
            return Problems.NotFound("Note", "There is no published post with this id.");
        }

        return new ActivityJsonResult(documents.Note(post));
    }

    private static async Task<ActorRef?> FindAsync(string? slug, ActivityPubServices services, CancellationToken cancellationToken) =>
        !services.Actors.Enabled ? null : slug is null ? ActorRef.Site : await services.Resolver.ResolveTagAsync(slug, cancellationToken);

    private static string ProfilePage(ActivityPubActors actors, ActorRef actor) =>
        actors.SiteUrl(actor.IsSite ? "/" : "/tags/" + Uri.EscapeDataString(actor.TagSlug!));

    private static ProblemHttpResult ValidationProblem(string field, string message) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = message,
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
        });
}
