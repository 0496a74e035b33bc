using System.Globalization;
using Feeds.Core.Links;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Pages.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Pages;

/// <summary>
/// The pages a reader finds their way by: every tag (<c>/tags</c>), the archive by year and month (<c>/archive</c>,
/// <c>/archive/2024</c>, <c>/archive/2024/12</c>) and the posts linking to one site (<c>/site/example.com</c>). Only
/// published posts ever appear; what "now" is (a year or month not yet begun) comes from the service's clock.
/// </summary>
public static class ReaderPages
{
    private static readonly HashSet<PostStatus> _published = [PostStatus.Published];

    public static IEndpointRouteBuilder MapReaderPages(this IEndpointRouteBuilder app)
    {
        app.MapPublic("/tags", Tags, "TagIndexPage", "Every tag a published post carries, with counts.");
        app.MapPublic("/archive", Archive, "ArchivePage", "Every year and month with posts.");
        app.MapPublic("/archive/{year:int}", Year, "ArchiveYearPage", "The months of one year with posts.");
        app.MapPublic("/archive/{year:int}/{month:int}", Month, "ArchiveMonthPage", "The posts of one month.");
        // A site holds dots, so its feeds (/site/example.com.atom) are routed first, by the feed endpoints' more specific pattern.
        app.MapPublic("/site/{site}", Site, "SitePage", "The posts linking to one site.");
        return app;
    }

    public static async Task<HtmlPageResult> Tags(string? sort, TagStore tags, CancellationToken cancellationToken)
    {
        if (sort is not (null or TagIndexPage.ByName or TagIndexPage.ByUse))
        {
            return SitePages.Problem("Bad request", $"The 'sort' parameter is '{TagIndexPage.ByName}' or '{TagIndexPage.ByUse}'.", StatusCodes.Status400BadRequest);
        }

        var byUse = sort == TagIndexPage.ByUse;
        var list = (await tags.ListAsync(cancellationToken)).Where(t => t.IsPublic);
        list = byUse
            ? list.OrderByDescending(t => t.PublishedCount).ThenBy(t => t.Name, StringComparer.InvariantCultureIgnoreCase)
            : list.OrderBy(t => t.Name, StringComparer.InvariantCultureIgnoreCase).ThenBy(t => t.Slug, StringComparer.Ordinal);
        return HtmlPageResult.For<TagIndexPage>(new Dictionary<string, object?>
        {
            [nameof(TagIndexPage.Tags)] = list.ToList(),
            [nameof(TagIndexPage.ByUseSelected)] = byUse,
        });
    }

    public static async Task<HtmlPageResult> Archive(PostQueries posts, CancellationToken cancellationToken) =>
        HtmlPageResult.For<ArchivePage>(new Dictionary<string, object?>
        {
            [nameof(ArchivePage.Months)] = await posts.CountPublishedByMonthAsync(cancellationToken),
        });

    public static async Task<Results<HtmlPageResult, RedirectHttpResult>> Year(
        string year, FeedComposer composer, PostQueries posts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!TryYear(year, out var number))
        {
            return SitePages.NotFound("There is no such year.");
        }

        if (year != ArchiveUrls.Year(number))
        {
            return TypedResults.Redirect(ArchiveUrls.Of(composer, number), permanent: true);
        }

        if (number > clock.GetUtcNow().UtcDateTime.Year)
        {
            return SitePages.NotFound($"{year} has not begun yet.");
        }

        var months = await posts.CountPublishedByMonthAsync(cancellationToken);
        if (!months.Any(m => m.Month.Year == number))
        {
            return SitePages.NotFound($"Nothing was published in {year}.");
        }

        return HtmlPageResult.For<ArchiveYearPage>(new Dictionary<string, object?>
        {
            [nameof(ArchiveYearPage.Year)] = number,
            [nameof(ArchiveYearPage.Months)] = months,
        });
    }

    public static async Task<Results<HtmlPageResult, RedirectHttpResult>> Month(
        string year, string month, string? before, HttpContext context, FeedComposer composer, PostQueries posts, PostArticles articles,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!TryYear(year, out var yearNumber) || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var monthNumber)
            || monthNumber is < 1 or > 12)
        {
            return SitePages.NotFound("There is no such month.");
        }

        var first = new DateOnly(yearNumber, monthNumber, 1);
        if (year != ArchiveUrls.Year(yearNumber) || month != ArchiveUrls.Month(monthNumber))
        {
            return TypedResults.Redirect(ArchiveUrls.Of(composer, first) + context.Request.QueryString, permanent: true);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (first > new DateOnly(now.Year, now.Month, 1))
        {
            return SitePages.NotFound($"{ArchiveUrls.Name(first)} has not begun yet.");
        }

        var months = await posts.CountPublishedByMonthAsync(cancellationToken);
        var index = months.ToList().FindIndex(m => m.Month == first);
        if (index < 0)
        {
            return SitePages.NotFound($"Nothing was published in {ArchiveUrls.Name(first)}.");
        }

        if (!SitePages.TryReadCursor(before, out var cursor))
        {
            return SitePages.BadCursor();
        }

        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var page = await posts.ListAsync(
            new PostQuery { Statuses = _published, SortFrom = start, SortUntil = start.AddMonths(1), Limit = SitePages.PostsPerPage, After = cursor },
            cancellationToken);
        return HtmlPageResult.For<ArchiveMonthPage>(new Dictionary<string, object?>
        {
            [nameof(ArchiveMonthPage.Month)] = months[index],
            [nameof(ArchiveMonthPage.Earlier)] = index > 0 ? months[index - 1].Month : null,
            [nameof(ArchiveMonthPage.Later)] = index + 1 < months.Count ? months[index + 1].Month : null,
            [nameof(ArchiveMonthPage.Articles)] = await articles.ListAsync(page.Posts, PageViewer.Of(context)),
            [nameof(ArchiveMonthPage.Position)] = SitePages.Pager(ArchiveUrls.Of(composer, first), cursor, page.Next),
        });
    }

    public static async Task<Results<HtmlPageResult, RedirectHttpResult>> Site(
        string site, string? before, HttpContext context, FeedComposer composer, PostQueries posts, PostArticles articles,
        CancellationToken cancellationToken)
    {
        if (!LinkSites.TryNormalize(site, out var normal))
        {
            return SitePages.NotFound($"'{site}' is not a domain name.");
        }

        if (normal != site)
        {
            // Another way of writing the site (capitals, "www.", letters beyond ASCII): its one address, permanently.
            return TypedResults.Redirect(composer.SitePageUrl(normal) + context.Request.QueryString, permanent: true);
        }

        if (!SitePages.TryReadCursor(before, out var cursor))
        {
            return SitePages.BadCursor();
        }

        var page = await posts.ListAsync(
            new PostQuery { Site = normal, Statuses = _published, Limit = SitePages.PostsPerPage, After = cursor }, cancellationToken);
        if (page.Posts.Count == 0 && cursor is null)
        {
            return SitePages.NotFound($"No post links to {LinkSites.Display(normal)}.");
        }

        var key = FeedKey.ForSite(normal);
        return HtmlPageResult.For<SitePage>(new Dictionary<string, object?>
        {
            [nameof(SitePage.Key)] = key,
            [nameof(SitePage.Articles)] = await articles.ListAsync(page.Posts, PageViewer.Of(context)),
            [nameof(SitePage.Position)] = SitePages.Pager(composer.PageUrl(key), cursor, page.Next),
        });
    }

    private static bool TryYear(string text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 1 and <= 9999;
}
