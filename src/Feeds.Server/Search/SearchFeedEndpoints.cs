using Feeds.Core.Search;
using Feeds.Core.Syndication;
using Feeds.Data.Search;
using Feeds.Server.Http;
using Feeds.Server.Publishing;

namespace Feeds.Server.Search;

/// <summary>
/// <c>/search.{atom,rss,json}?q=</c>: a search to subscribe to, with the validators, 304s and compression of every feed.
/// No WebSub hub is named: the hub announces the site's stored feeds, and a search is not one of them.
/// </summary>
public static class SearchFeedEndpoints
{
    private const string Formats = "regex(^(atom|rss|json)$)";
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapSearchFeeds(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"/search.{{format:{Formats}}}", GetOrHead, ServeAsync)
            .WithName("SearchFeed").WithTags("Feeds")
            .WithSummary("The newest published posts a search finds (the search language of GET /api/posts?q=), paged with ?after=.");
        return app;
    }

    public static async Task ServeAsync(HttpContext context, string format, string? q, string? after, SearchFeeds feeds, SiteHosts hosts)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            await Results.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["is required: the search the feed follows."] }).ExecuteAsync(context);
            return;
        }

        SearchCursor? cursor = null;
        if (after is not null && !SearchCursor.TryDecode(after, out cursor))
        {
            await Results.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["is not a position this feed handed out."] }).ExecuteAsync(context);
            return;
        }

        var writer = FeedWriters.ForExtension(format)!;
        var feed = await feeds.GetAsync(SearchQuery.Parse(q), writer, cursor, hosts.BaseUrlFor(context.Request), context.RequestAborted);
        await FeedEndpoints.WriteAsync(context, feed, ContentCoding.Choose(context.Request.Headers.AcceptEncoding));
    }
}
