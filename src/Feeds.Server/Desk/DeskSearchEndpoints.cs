using Feeds.Core.Search;
using Feeds.Data.Search;
using Feeds.Server.Desk.Pages;

namespace Feeds.Server.Desk;

/// <summary>
/// <c>/desk/search?q=</c>: the author's search, over posts of every status (drafts and scheduled posts too), with
/// <c>is:draft</c> narrowing it to drafts; tag facets and paging as on the public search page.
/// </summary>
public static class DeskSearchEndpoints
{
    public const int ResultsPerPage = 30;

    public static RouteGroupBuilder MapDeskSearch(this RouteGroupBuilder desk)
    {
        desk.MapGet("/search", Search);
        return desk;
    }

    public static async Task<IResult> Search(HttpContext context, string? q, string? after, SearchIndex index, CancellationToken cancellationToken)
    {
        SearchCursor? cursor = null;
        if (after is not null && !SearchCursor.TryDecode(after, out cursor))
        {
            return DeskPages.Problem(context, StatusCodes.Status400BadRequest, "Bad request", "The 'after' parameter is not a position this site gave out.");
        }

        var text = (q ?? "").Trim();
        var query = SearchQuery.Parse(text);
        var request = new SearchRequest(query, Author: true, ResultsPerPage, cursor);
        var page = await index.SearchAsync(request, cancellationToken);
        return DeskPages.Render<DeskSearchPage>(context, new Dictionary<string, object?>
        {
            [nameof(DeskSearchPage.Text)] = text,
            [nameof(DeskSearchPage.Query)] = query,
            [nameof(DeskSearchPage.Posts)] = page.Posts,
            [nameof(DeskSearchPage.Facets)] = await index.FacetsAsync(request, cancellationToken),
            [nameof(DeskSearchPage.NextUrl)] = page.Next is { } next ? $"/desk/search?q={Uri.EscapeDataString(text)}&after={next.Encode()}" : null,
        });
    }
}
