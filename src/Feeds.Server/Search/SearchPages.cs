using Feeds.Core.Search;
using Feeds.Data.Search;
using Feeds.Server.Pages;

namespace Feeds.Server.Search;

/// <summary><c>/search?q=</c>: the public search page. Readers find published posts only, whoever asks.</summary>
public static class SearchPages
{
    public const int ResultsPerPage = 30;

    public static IEndpointRouteBuilder MapSearchPages(this IEndpointRouteBuilder app)
    {
        app.MapPublic("/search", SearchPage, "SearchPage", "Published posts found by the search language, with tag facets.");
        return app;
    }

    public static async Task<HtmlPageResult> SearchPage(string? q, string? after, SearchIndex index, CancellationToken cancellationToken)
    {
        SearchCursor? cursor = null;
        if (after is not null && !SearchCursor.TryDecode(after, out cursor))
        {
            return SitePages.Problem("Bad request", "The 'after' parameter is not a position this site gave out.", StatusCodes.Status400BadRequest);
        }

        var text = (q ?? "").Trim();
        var query = SearchQuery.Parse(text);
        var request = new SearchRequest(query, Author: false, ResultsPerPage, cursor);
        var page = await index.SearchAsync(request, cancellationToken);
        var facets = await index.FacetsAsync(request, cancellationToken);
        return HtmlPageResult.For<Pages.SearchPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.SearchPage.Text)] = text,
            [nameof(Pages.SearchPage.Query)] = query,
            [nameof(Pages.SearchPage.Posts)] = page.Posts,
            [nameof(Pages.SearchPage.Facets)] = facets,
            [nameof(Pages.SearchPage.NextUrl)] = page.Next is { } next ? $"/search?q={Uri.EscapeDataString(text)}&after={next.Encode()}" : null,
        });
    }
}
