using System.Text.Json;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Text;
using Feeds.Core.Posts;
using Feeds.Core.Search;
using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Server.Auth;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Posts;

/// <summary><c>/api/posts</c>: create, read, list, replace, patch and delete link posts.</summary>
public static class PostsApi
{
    /// <summary>
    /// The most items one batch may carry. With the 1 MiB body limit this leaves about 2 KB per item; importers send
    /// fewer items when theirs are larger (commentary can be up to 100,000 characters).
    /// </summary>
    public const int MaxBatchItems = 500;

    private static readonly string[] SlugTaken =
        ["is another post's slug already (a deleted post keeps its slug); a slug given is never renumbered, as that would break its permalink."];

    // Import keys share the idempotency table with Idempotency-Key headers; a header value cannot contain a space, so
    // this prefix keeps the two apart.
    private const string ImportKeyPrefix = "import ";

    public static IEndpointRouteBuilder MapPostsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/posts").WithTags("Posts");

        group.MapGet("/", ListPosts).WithName("ListPosts").WithSummary("Lists posts, newest first, with keyset pagination.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .CacheOutput(ApiCaching.Policy);
        group.MapGet("/{id:guid}", GetPost).WithName("GetPost").WithSummary("Gets one post.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .CacheOutput(ApiCaching.Policy);
        group.MapPost("/", CreatePost).WithName("CreatePost").WithSummary("Creates a post; honours Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization();
        group.MapPost("/batch", ImportPosts).WithName("ImportPosts")
            .WithSummary("Imports up to 500 posts in one transaction, keeping their original times, ids and slugs; all or nothing, no webhooks.")
            .RequireAuthorization();
        group.MapPut("/{id:guid}", ReplacePost).WithName("ReplacePost").WithSummary("Replaces a post.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();
        group.MapPatch("/{id:guid}", PatchPost).WithName("PatchPost").WithSummary("Changes some fields of a post (JSON merge patch).")
            .Accepts<PostPatch>("application/merge-patch+json", "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();
        group.MapDelete("/{id:guid}", DeletePost).WithName("DeletePost").WithSummary("Deletes a post.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();
        return app;
    }

    public static async Task<Results<Ok<PostListResponse>, ValidationProblem, ChallengeHttpResult>> ListPosts(
        HttpContext context, [AsParameters] PostServices services,
        string? tag, string? status, int? limit, string? cursor, long? sourceId, string? q, string? url, CancellationToken cancellationToken)
    {
        if (url is not null)
        {
            return await PostsOfLink(context, services, url, tag, status, limit, cursor, sourceId, q, cancellationToken);
        }

        if (q is not null)
        {
            return await SearchPosts(context, services, q, tag, status, limit, cursor, sourceId, cancellationToken);
        }

        var problems = new ProblemList();
        var query = new PostQuery { TagSlug = tag is null ? null : Slugs.ForTag(tag), SourceId = sourceId };

        if (limit is < 1 or > PostQuery.MaxLimit)
        {
            problems.Add("limit", $"must be between 1 and {PostQuery.MaxLimit}.");
        }

        query = query with { Limit = limit ?? 50 };
        if (cursor is not null)
        {
            if (PostCursor.TryDecode(cursor, out var after))
            {
                query = query with { After = after };
            }
            else
            {
                problems.Add("cursor", "is not a cursor this API handed out.");
            }
        }

        var authenticated = context.IsAuthenticated();
        switch (status)
        {
            case null when !authenticated:
            case PostStatusNames.Published:
                query = query with { Statuses = new HashSet<PostStatus> { PostStatus.Published } };
                break;
            case null or "any":
                break;
            default:
                if (PostStatusNames.TryParse(status, out var parsed))
                {
                    query = query with { Statuses = new HashSet<PostStatus> { parsed } };
                }
                else
                {
                    problems.Add("status", "must be draft, scheduled, published or any.");
                }

                break;
        }

        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        if (!authenticated && (query.Statuses.Count != 1 || !query.Statuses.Contains(PostStatus.Published)))
        {
            return TypedResults.Challenge();
        }

        var page = await services.Queries.ListAsync(query, cancellationToken);
        var next = page.Next?.Encode();
        if (next is not null)
        {
            context.Response.Headers.Link = $"<{NextPageUrl(context.Request, next)}>; rel=\"next\"";
        }

        return TypedResults.Ok(new PostListResponse([.. page.Posts.Select(p => p.ToResponse(services.Site.Value))], next));
    }

    /// <summary>
    /// <c>?q=</c>: posts found by the search language, best match first, in keyset pages. Readers find published posts
    /// only; a <c>tag</c> narrows the search as <c>tag:</c> does, and <c>status</c> and <c>sourceId</c> are not for searches.
    /// </summary>
    private static async Task<Results<Ok<PostListResponse>, ValidationProblem, ChallengeHttpResult>> SearchPosts(
        HttpContext context, PostServices services, string q, string? tag, string? status, int? limit, string? cursor, long? sourceId,
        CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var query = SearchQuery.Parse(q);
        if (tag is not null)
        {
            query = query with { Tags = [.. query.Tags.Append(Slugs.ForTag(tag)).Distinct()] };
        }

        if (limit is < 1 or > SearchRequest.MaxLimit)
        {
            problems.Add("limit", $"must be between 1 and {SearchRequest.MaxLimit}.");
        }

        SearchCursor? after = null;
        if (cursor is not null && !SearchCursor.TryDecode(cursor, out after))
        {
            problems.Add("cursor", "is not a cursor this API handed out for a search.");
        }

        if (status is not null)
        {
            problems.Add("status", "cannot be combined with q: write is:draft in q.");
        }

        if (sourceId is not null)
        {
            problems.Add("sourceId", "cannot be combined with q.");
        }

        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var page = await services.Search.SearchAsync(new SearchRequest(query, context.IsAuthenticated(), limit ?? 50, after), cancellationToken);
        var next = page.Next?.Encode();
        if (next is not null)
        {
            context.Response.Headers.Link = $"<{NextPageUrl(context.Request, next)}>; rel=\"next\"";
        }

        return TypedResults.Ok(new PostListResponse([.. page.Posts.Select(p => p.ToResponse(services.Site.Value))], next));
    }

    /// <summary>
    /// <c>?url=</c>: every post of a link, compared in normal form (<c>LinkUrls</c>), newest first, in one page. Readers
    /// find published posts only; the other filters are not for this question.
    /// </summary>
    private static async Task<Results<Ok<PostListResponse>, ValidationProblem, ChallengeHttpResult>> PostsOfLink(
        HttpContext context, PostServices services, string url, string? tag, string? status, int? limit, string? cursor, long? sourceId, string? q,
        CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttp && link.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("url", "must be an absolute http or https URL.");
        }

        foreach (var (name, given) in (ReadOnlySpan<(string, bool)>)[("tag", tag is not null), ("status", status is not null), ("limit", limit is not null),
                     ("cursor", cursor is not null), ("sourceId", sourceId is not null), ("q", q is not null)])
        {
            if (given)
            {
                problems.Add(name, "cannot be combined with url.");
            }
        }

        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var authenticated = context.IsAuthenticated();
        var posts = await services.Queries.ListPostsOfLinkAsync(url, cancellationToken, PostQuery.MaxLimit);
        return TypedResults.Ok(new PostListResponse(
            [.. posts.Where(p => authenticated || p.Status == PostStatus.Published).Select(p => p.ToResponse(services.Site.Value))], null));
    }

    public static async Task<Results<Ok<PostResponse>, ProblemHttpResult, ChallengeHttpResult>> GetPost(
        Guid id, HttpContext context, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var post = await services.Queries.GetAsync(id, cancellationToken);
        if (post is null)
        {
            return NotFound(id);
        }

        if (post.Status != PostStatus.Published && !context.IsAuthenticated())
        {
            return TypedResults.Challenge();
        }

        return TypedResults.Ok(post.ToResponse(services.Site.Value));
    }

    public static async Task<Results<Created<PostResponse>, ValidationProblem, ProblemHttpResult>> CreatePost(
        PostInput input, HttpContext context, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var content = PostRules.Validate(input, services.Clock.GetUtcNow(), out var errors);
        string? key = context.Request.Headers["Idempotency-Key"];
        if (key is not null && !IdempotencyKeys.IsValid(key))
        {
            errors["Idempotency-Key"] = IdempotencyKeys.Problem;
        }

        if (content is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var idempotency = key is null ? null : IdempotencyKeys.For(key, input, services.Json.Value.SerializerOptions);
        var outcome = await services.Posts.CreateAsync(content, idempotency, cancellationToken);
        if (outcome.Kind == CreateOutcomeKind.KeyReusedWithDifferentRequest)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used for a different request body.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["Idempotency-Key"] = ["was already used for a different request body."] } });
        }

        var post = outcome.Post!;
        if (outcome.Kind == CreateOutcomeKind.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created($"/api/posts/{post.Id}", post.ToResponse(services.Site.Value) with
        {
            EarlierPosts = [.. outcome.OtherPostsOfLink.Select(p => p.ToEarlierResponse(services.Site.Value))],
        });
    }

    /// <summary>
    /// Stores every item or none: one invalid item refuses the batch with its errors named <c>items[3].url</c>. Items whose
    /// <c>id</c> is already a post's, or else whose <c>importKey</c> an earlier import used, are reported <c>existing</c>
    /// and left as they are. Two items of a batch with one id or one slug, or a slug another post has, refuse the batch
    /// too: slugs are unique across the site, and a slug given is kept or refused, never renumbered.
    /// </summary>
    public static async Task<Results<Ok<PostBatchResponse>, ValidationProblem>> ImportPosts(
        PostBatchRequest request, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var items = request.Items;
        if (items is null || items.Count is 0 or > MaxBatchItems)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = [$"must hold 1 to {MaxBatchItems} posts."] });
        }

        var now = services.Clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var batch = new List<NewPost>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (ValidateBatchItem(items[i], now, services.Json.Value.SerializerOptions, out var itemErrors) is { } post)
            {
                batch.Add(post);
            }

            foreach (var (field, messages) in itemErrors)
            {
                errors[field == "body" ? $"items[{i}]" : $"items[{i}].{field}"] = messages;
            }
        }

        FindRepeats(items, item => item?.Id?.ToString(), "id", errors);
        FindRepeats(items, item => item?.Slug, "slug", errors);
        if (errors.Count > 0)
        {
            return Refused(errors);
        }

        var imported = await services.Posts.ImportAsync(batch, cancellationToken);
        if (imported.TakenSlugs.Count > 0)
        {
            return Refused(imported.TakenSlugs.ToDictionary(i => $"items[{i}].slug", _ => SlugTaken));
        }

        var outcomes = imported.Outcomes;
        var created = outcomes.Count(o => o.Created);
        return TypedResults.Ok(new PostBatchResponse(
            [.. outcomes.Select(o => new PostBatchResult(o.Id, o.Created ? "created" : "existing"))], created, outcomes.Count - created));
    }

    public static async Task<Results<Ok<PostResponse>, ValidationProblem, ProblemHttpResult>> ReplacePost(
        Guid id, PostInput input, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var content = PostRules.Validate(input, services.Clock.GetUtcNow(), out var errors);
        if (content is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var post = await services.Posts.UpdateAsync(id, content, cancellationToken);
        return post is null ? NotFound(id) : TypedResults.Ok(post.ToResponse(services.Site.Value));
    }

    public static async Task<Results<Ok<PostResponse>, ValidationProblem, ProblemHttpResult>> PatchPost(
        Guid id, PostPatch patch, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var current = await services.Queries.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        var content = PostRules.Validate(patch.ApplyTo(current.ToInput()), services.Clock.GetUtcNow(), out var errors);
        if (content is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var post = await services.Posts.UpdateAsync(id, content, cancellationToken);
        return post is null ? NotFound(id) : TypedResults.Ok(post.ToResponse(services.Site.Value));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeletePost(Guid id, PostStore posts, CancellationToken cancellationToken) =>
        await posts.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ValidationProblem Refused(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The batch was refused: no item was stored.");

    /// <summary>Names each item whose <paramref name="field"/> repeats that of an earlier item, unless the field is refused already.</summary>
    private static void FindRepeats(
        IReadOnlyList<PostBatchItem?> items, Func<PostBatchItem?, string?> value, string field, Dictionary<string, string[]> errors)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (value(items[i]) is not { } one)
            {
                continue;
            }

            if (first.TryGetValue(one, out var earlier))
            {
                errors.TryAdd($"items[{i}].{field}", [$"is also the {field} of items[{earlier}]; two posts cannot share one."]);
            }
            else
            {
                first[one] = i;
            }
        }
    }

    private static NewPost? ValidateBatchItem(
        PostBatchItem? item, DateTimeOffset now, JsonSerializerOptions serializer, out Dictionary<string, string[]> errors)
    {
        if (item is null)
        {
            errors = new() { ["body"] = ["must be a post, not null."] };
            return null;
        }

        var content = PostRules.Validate(item.ToInput(), now, out errors);
        var history = PostHistory.Validate(item.CreatedAt, item.PublishedAt, item.UpdatedAt, content, now, out var historyErrors);
        foreach (var (field, messages) in historyErrors)
        {
            errors[field] = messages;
        }

        if (item.ImportKey is { } key && !IdempotencyKeys.IsValid(key))
        {
            errors["importKey"] = IdempotencyKeys.Problem;
        }

        if (item.Id == Guid.Empty)
        {
            errors["id"] = ["must be a GUID other than all zeros."];
        }

        if (item.Slug is { } slug && !Slugs.IsPostSlug(slug))
        {
            errors["slug"] = [$"must be a slug this site makes from a title: lower-case letters and digits joined by single hyphens, at most {Slugs.MaxPostSlugLength} characters, perhaps followed by a number such as -2."];
        }

        if (content is null || errors.Count > 0)
        {
            return null;
        }

        var importKey = item.ImportKey is null ? null : IdempotencyKeys.For(ImportKeyPrefix + item.ImportKey, item, serializer);
        return new NewPost(content, history, importKey) { Id = item.Id, Slug = item.Slug };
    }

    private static ProblemHttpResult NotFound(Guid id) => Problems.NotFound("Post", $"There is no post with id {id}.");

    private static string NextPageUrl(HttpRequest request, string cursor)
    {
        var query = request.Query.Where(q => q.Key != "cursor").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
            .Append(KeyValuePair.Create("cursor", (string?)cursor));
        return request.PathBase + request.Path + QueryString.Create(query);
    }
}
