using Feeds.Contracts.Text;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Server.Desk.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// The little JSON the desk's script asks for while the author types: a page's title, tag suggestions with counts,
/// earlier posts of a link, and the preview. Each is also reachable without the script through the forms.
/// </summary>
public static class DeskApi
{
    public const int MaxTagSuggestions = 10;

    public sealed record TitleAnswer(string? Title);

    public sealed record TagAnswer(string Name, string Slug, long Posts);

    public sealed record TagsAnswer(IReadOnlyList<TagAnswer> Tags);

    public sealed record LinksAnswer(IReadOnlyList<EarlierPost> Posts);

    public sealed record PreviewAnswer(string Html);

    public static RouteGroupBuilder MapDeskApi(this RouteGroupBuilder desk)
    {
        desk.MapGet("/", Home);
        desk.MapGet("/api/title", async (string? url, TitleFetcher titles, CancellationToken cancellationToken) =>
            TypedResults.Ok(new TitleAnswer(string.IsNullOrWhiteSpace(url) ? null : await titles.FetchAsync(url.Trim(), cancellationToken))));
        desk.MapGet("/api/tags", Tags);
        desk.MapGet("/api/links", Links);
        desk.MapPost("/api/preview", ([FromForm] ComposeForm form, [AsParameters] DeskPostServices services) =>
            TypedResults.Ok(new PreviewAnswer(DeskPreview.Render(form, services))));
        return desk;
    }

    public static async Task<IResult> Home(HttpContext context, PostQueries posts, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var drafts = (await posts.CountDraftsAsync(cancellationToken)).Sum(c => c.Count);
        return DeskPages.Render<DeskHomePage>(context, new Dictionary<string, object?>
        {
            [nameof(DeskHomePage.Drafts)] = drafts,
            [nameof(DeskHomePage.Bookmarklet)] = Bookmarklet.For($"{request.Scheme}://{request.Host}{request.PathBase}"),
        });
    }

    /// <summary>Tags starting with what the author typed last (after the last comma), most used first.</summary>
    public static async Task<Ok<TagsAnswer>> Tags(string? q, TagSuggestions tags, CancellationToken cancellationToken)
    {
        var typed = (q ?? "").Split(',')[^1].Trim();
        var prefix = typed.Length == 0 ? "" : Slugs.ForTag(typed);
        if (prefix.Length == 0)
        {
            return TypedResults.Ok(new TagsAnswer([]));
        }

        var found = await tags.SuggestAsync(prefix, MaxTagSuggestions, cancellationToken);
        return TypedResults.Ok(new TagsAnswer([.. found.Select(t => new TagAnswer(t.Name, t.Slug, t.Posts))]));
    }

    public static async Task<Ok<LinksAnswer>> Links(string? url, [AsParameters] DeskPostServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return TypedResults.Ok(new LinksAnswer([]));
        }

        var found = await services.Queries.ListPostsOfLinkAsync(url, cancellationToken);
        return TypedResults.Ok(new LinksAnswer([.. found.Select(p => new EarlierPost(
            p.Title,
            p.Status == PostStatus.Published ? services.Composer.PermalinkUrl(p) : $"/desk/posts/{p.Id}/edit",
            p.Status.ToName(),
            p.PermalinkDate))]));
    }
}
