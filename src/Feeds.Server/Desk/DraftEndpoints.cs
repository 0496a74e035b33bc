using System.Globalization;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Server.Desk.Pages;
using Feeds.Server.Posts;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// <c>/desk/drafts</c>: the drafts queue, newest first, filterable by source (or <c>own</c>), paged by keyset, with
/// counts per source; each draft published (with commentary typed beside it) or discarded in place.
/// </summary>
public static class DraftEndpoints
{
    public const int PageSize = 50;

    public const string OwnFilter = "own";

    public sealed class PublishForm
    {
        public string? Commentary { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class DiscardForm
    {
        public string? ReturnUrl { get; set; }
    }

    public static RouteGroupBuilder MapDrafts(this RouteGroupBuilder desk)
    {
        desk.MapGet("/drafts", Queue);
        desk.MapPost("/drafts/{id:guid}/publish", Publish);
        desk.MapPost("/drafts/{id:guid}/discard", Discard);
        return desk;
    }

    public static async Task<IResult> Queue(
        HttpContext context, string? source, string? before, PostQueries posts, CancellationToken cancellationToken)
    {
        DraftFilter filter;
        if (source is null)
        {
            filter = DraftFilter.All;
        }
        else if (source == OwnFilter)
        {
            filter = new DraftFilter(OwnOnly: true);
        }
        else if (long.TryParse(source, NumberStyles.None, CultureInfo.InvariantCulture, out var sourceId))
        {
            filter = new DraftFilter(sourceId);
        }
        else
        {
            return DeskPages.Problem(context, StatusCodes.Status400BadRequest, "Bad request", "The 'source' parameter must be a source's number or 'own'.");
        }

        PostCursor? after = null;
        if (before is not null && !PostCursor.TryDecode(before, out after))
        {
            return DeskPages.Problem(context, StatusCodes.Status400BadRequest, "Bad request", "The 'before' parameter is not a position this site gave out.");
        }

        var page = await posts.ListDraftsAsync(filter, after, PageSize, cancellationToken);
        var counts = await posts.CountDraftsAsync(cancellationToken);

        // Every draft on the page is counted under its source, so the counts name every source the page shows.
        var names = counts.Where(c => c.SourceId is not null && c.SourceName is not null).ToDictionary(c => c.SourceId!.Value, c => c.SourceName!);
        var perSource = counts
            .Select(c => c.SourceId is { } id
                ? new DraftSourceCount(id.ToString(CultureInfo.InvariantCulture), c.SourceName ?? $"Source {id} (removed)", c.Count)
                : new DraftSourceCount(OwnFilter, "Your own", c.Count))
            .OrderBy(c => c.Filter == OwnFilter ? 0 : 1).ThenBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var query = source is null ? "" : "source=" + Uri.EscapeDataString(source);
        var here = "/desk/drafts" + (query.Length > 0 ? "?" + query : "") + (before is null ? "" : (query.Length > 0 ? "&" : "?") + "before=" + Uri.EscapeDataString(before));
        return DeskPages.Render<DraftsPage>(context, new Dictionary<string, object?>
        {
            [nameof(DraftsPage.Drafts)] = page.Drafts,
            [nameof(DraftsPage.Sources)] = perSource,
            [nameof(DraftsPage.SourceNames)] = names,
            [nameof(DraftsPage.Total)] = counts.Sum(c => c.Count),
            [nameof(DraftsPage.Filter)] = source,
            [nameof(DraftsPage.ReturnUrl)] = here,
            [nameof(DraftsPage.NextUrl)] = page.Next is { } next
                ? "/desk/drafts?" + (query.Length > 0 ? query + "&" : "") + "before=" + Uri.EscapeDataString(next.Encode())
                : null,
        });
    }

    public static async Task<IResult> Publish(
        Guid id, [FromForm] PublishForm form, HttpContext context, PostStore posts, PostQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(id, cancellationToken) is not { Status: PostStatus.Draft } draft)
        {
            return Gone(context);
        }

        var input = draft.ToInput() with { Commentary = form.Commentary ?? draft.Commentary, Status = PostStatusNames.Published, PublishAt = null };
        var content = PostRules.Validate(input, clock.GetUtcNow(), out var errors);
        if (content is null)
        {
            return DeskPages.Problem(context, StatusCodes.Status400BadRequest, "Not published",
                string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        await posts.UpdateAsync(id, content, cancellationToken);
        return Results.Redirect(ReturnUrls.Local(form.ReturnUrl, "/desk/drafts"));
    }

    public static async Task<IResult> Discard(
        Guid id, [FromForm] DiscardForm form, HttpContext context, PostStore posts, PostQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(id, cancellationToken) is not { Status: PostStatus.Draft })
        {
            return Gone(context);
        }

        await posts.DeleteAsync(id, cancellationToken);
        return Results.Redirect(ReturnUrls.Local(form.ReturnUrl, "/desk/drafts"));
    }

    private static IResult Gone(HttpContext context) =>
        DeskPages.Problem(context, StatusCodes.Status404NotFound, "Not found", "There is no such draft: it may have been published or discarded already.");
}
