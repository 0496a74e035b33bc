using Feeds.Core.Posts;
using Feeds.Server.Desk.Pages;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// The compose form for new posts (<c>/desk/new?url=&amp;title=&amp;text=&amp;via=</c>) and for editing one
/// (<c>/desk/posts/{id}/edit</c>), with preview, the page's title fetched when none is given, and earlier posts of the
/// same link; deleting a post after confirming.
/// </summary>
public static class ComposeEndpoints
{
    public static RouteGroupBuilder MapCompose(this RouteGroupBuilder desk)
    {
        desk.MapGet("/new", NewPost);
        desk.MapPost("/new", (HttpContext context, [FromForm] ComposeForm form, [AsParameters] DeskPostServices services, CancellationToken cancellationToken) =>
            SaveAsync(context, null, form, services, cancellationToken));
        desk.MapGet("/posts/{id:guid}/edit", EditPost);
        desk.MapPost("/posts/{id:guid}/edit", (Guid id, HttpContext context, [FromForm] ComposeForm form, [AsParameters] DeskPostServices services, CancellationToken cancellationToken) =>
            SaveAsync(context, id, form, services, cancellationToken));
        desk.MapGet("/posts/{id:guid}/delete", ConfirmDelete);
        desk.MapPost("/posts/{id:guid}/delete", Delete);
        desk.MapGet("/saved/{id:guid}", Saved);
        return desk;
    }

    public static async Task<IResult> NewPost(
        HttpContext context, string? url, string? title, string? text, string? via, string? viaTitle, bool? popup,
        [AsParameters] DeskPostServices services, CancellationToken cancellationToken)
    {
        var form = ComposeForm.FromQuery(url, title, text, via, viaTitle, popup == true);
        return await ShowAsync(context, null, form, services, new Dictionary<string, string[]>(), preview: false, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> EditPost(Guid id, HttpContext context, [AsParameters] DeskPostServices services, CancellationToken cancellationToken) =>
        await services.Queries.GetAsync(id, cancellationToken) is { } post
            ? await ShowAsync(context, id, ComposeForm.FromPost(post), services, new Dictionary<string, string[]>(), preview: false, StatusCodes.Status200OK, cancellationToken)
            : NotFound(context);

    public static async Task<IResult> SaveAsync(
        HttpContext context, Guid? id, ComposeForm form, DeskPostServices services, CancellationToken cancellationToken)
    {
        if (id is { } existing && await services.Queries.GetAsync(existing, cancellationToken) is null)
        {
            return NotFound(context);
        }

        if (form.Action == ComposeForm.Preview)
        {
            return await ShowAsync(context, id, form, services, new Dictionary<string, string[]>(), preview: true, StatusCodes.Status200OK, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(form.Title) && !string.IsNullOrWhiteSpace(form.Url))
        {
            form.Title = await services.Titles.FetchAsync(form.Url.Trim(), cancellationToken);
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = form.ToInput(problems);
        var now = services.Clock.GetUtcNow();
        var content = PostRules.Validate(input, now, out var errors);
        foreach (var (field, messages) in problems)
        {
            errors[field] = messages;
        }

        if (errors.ContainsKey("title") && string.IsNullOrWhiteSpace(form.Title))
        {
            errors["title"] = ["is required: the page gave none, so type one."];
        }

        if (form.Action == ComposeForm.Schedule && input.PublishAt is { } at && at <= now)
        {
            errors["at"] = ["must be in the future to schedule; publish now instead."];
        }

        if (content is null || errors.Count > 0)
        {
            return await ShowAsync(context, id, form, services, errors, preview: false, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var saved = id is { } postId
            ? await services.Posts.UpdateAsync(postId, content, cancellationToken)
            : (await services.Posts.CreateAsync(content, idempotencyKey: null, cancellationToken)).Post;
        if (saved is null)
        {
            return NotFound(context);
        }

        return Results.Redirect($"/desk/saved/{saved.Id}" + (form.Popup ? "?popup=true" : ""));
    }

    public static async Task<IResult> Saved(Guid id, bool? popup, HttpContext context, [AsParameters] DeskPostServices services, CancellationToken cancellationToken)
    {
        if (await services.Queries.GetAsync(id, cancellationToken) is not { } post)
        {
            return NotFound(context);
        }

        var message = post.Status switch
        {
            PostStatus.Published => $"Published \"{post.Title}\".",
            PostStatus.Scheduled => $"Scheduled \"{post.Title}\" for {post.PublishAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.",
            _ => $"Saved \"{post.Title}\" as a draft.",
        };
        return DeskPages.Render<SavedPage>(context, new Dictionary<string, object?>
        {
            [nameof(SavedPage.Message)] = message,
            [nameof(SavedPage.PostUrl)] = post.Status == PostStatus.Published ? services.Composer.PermalinkUrl(post) : $"/desk/posts/{post.Id}/edit",
            [nameof(SavedPage.LinkUrl)] = post.Url,
            [nameof(SavedPage.Popup)] = popup == true,
        });
    }

    public static async Task<IResult> ConfirmDelete(Guid id, HttpContext context, [AsParameters] DeskPostServices services, CancellationToken cancellationToken) =>
        await services.Queries.GetAsync(id, cancellationToken) is { } post
            ? DeskPages.Render<DeletePage>(context, new Dictionary<string, object?>
            {
                [nameof(DeletePage.Post)] = post,
                [nameof(DeletePage.CancelUrl)] = post.Status == PostStatus.Published ? services.Composer.PermalinkUrl(post) : $"/desk/posts/{post.Id}/edit",
            })
            : NotFound(context);

    public static async Task<IResult> Delete(Guid id, HttpContext context, [AsParameters] DeskPostServices services, CancellationToken cancellationToken) =>
        await services.Posts.DeleteAsync(id, cancellationToken) ? Results.Redirect("/desk") : NotFound(context);

    /// <summary>The form again, with problems, earlier posts of the link and, when asked for, the preview.</summary>
    private static async Task<IResult> ShowAsync(
        HttpContext context, Guid? id, ComposeForm form, DeskPostServices services, IReadOnlyDictionary<string, string[]> errors, bool preview, int status,
        CancellationToken cancellationToken)
    {
        var earlier = string.IsNullOrWhiteSpace(form.Url)
            ? []
            : (await services.Queries.ListPostsOfLinkAsync(form.Url, cancellationToken)).Where(p => p.Id != id).Select(p => ToEarlier(p, services)).ToList();
        return DeskPages.Render<ComposePage>(context, new Dictionary<string, object?>
        {
            [nameof(ComposePage.Form)] = form,
            [nameof(ComposePage.PostId)] = id,
            [nameof(ComposePage.Errors)] = errors,
            [nameof(ComposePage.EarlierPosts)] = earlier,
            [nameof(ComposePage.PreviewHtml)] = preview ? DeskPreview.Render(form, services) : null,
        }, status);
    }

    private static EarlierPost ToEarlier(Post post, DeskPostServices services) => new(
        post.Title,
        post.Status == PostStatus.Published ? services.Composer.PermalinkUrl(post) : $"/desk/posts/{post.Id}/edit",
        post.Status.ToName(),
        post.PermalinkDate);

    private static IResult NotFound(HttpContext context) =>
        DeskPages.Problem(context, StatusCodes.Status404NotFound, "Not found", "There is no such post; it may have been deleted.");
}
