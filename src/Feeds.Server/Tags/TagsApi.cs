using Feeds.Contracts.Tags;
using Feeds.Core.Posts;
using Feeds.Server.Auth;
using Feeds.Data.Tags;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Tags;

/// <summary><c>/api/tags</c>: the tag list with counts, and renames that merge and remember the old slug.</summary>
public static class TagsApi
{
    public static IEndpointRouteBuilder MapTagsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tags").WithTags("Tags");
        group.MapGet("/", ListTags).WithName("ListTags")
            .WithSummary("Lists the tags published posts carry, with their counts; with a token every tag, with draft and scheduled counts too.")
            .CacheOutput(ApiCaching.Policy);
        group.MapPost("/{slug}/rename", RenameTag).WithName("RenameTag")
            .WithSummary("Renames a tag, merging it into an existing tag of the same slug; the old slug redirects.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();
        return app;
    }

    public static async Task<Ok<TagResponse[]>> ListTags(HttpContext context, TagStore tags, CancellationToken cancellationToken)
    {
        var all = await tags.ListAsync(cancellationToken);
        return TypedResults.Ok(context.IsAuthenticated()
            ? [.. all.Select(t => new TagResponse(t.Slug, t.Name, t.PublishedCount, t.DraftCount, t.ScheduledCount))]
            : all.Where(t => t.IsPublic).Select(t => new TagResponse(t.Slug, t.Name, t.PublishedCount)).ToArray());
    }

    public static async Task<Results<Ok<RenameTagResponse>, ValidationProblem, ProblemHttpResult>> RenameTag(
        string slug, RenameTagRequest request, TagStore tags, Publishing.FeedCache feeds, CancellationToken cancellationToken)
    {
        if (TagRules.Problem(request.To) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [problem] });
        }

        var (result, tag) = await tags.RenameAsync(slug, TagRules.ToTag(request.To!), cancellationToken);
        if (result != TagRenameResult.NotFound && tag!.Slug != slug)
        {
            // The old feeds must redirect from now on, not when the next regeneration gets to them.
            feeds.ForgetTag(slug);
        }

        return result == TagRenameResult.NotFound
            ? Problems.NotFound("Tag", $"There is no tag '{slug}'.")
            : TypedResults.Ok(new RenameTagResponse(tag!.Slug, tag.Name, slug, result == TagRenameResult.Merged));
    }
}
