using Feeds.Contracts.Text;
using Feeds.Server.ActivityPub;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Pages.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Pages;

/// <summary>
/// The server-rendered HTML: the home page (<c>/</c>), tag pages (<c>/tags/{tag}</c>, <c>/tags/{a}+{b}</c>)
/// and permalinks (<c>/{yyyy}/{mm}/{dd}/{slug}</c>). Only published posts ever appear.
/// </summary>
public static class SitePages
{
    public const int PostsPerPage = 30;

    private static readonly HashSet<PostStatus> _published = [PostStatus.Published];

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapPublic("/", Home, "HomePage", "The recent posts and the tag list.");

        // A slug never holds a dot, so /tags/python.atom and the other feed URLs are left to the feed endpoints.
        app.MapPublic("/tags/{spec:regex(^[^.]+$)}", TagPage, "TagPage", "The posts carrying a tag, or every tag of a combination such as ai+llms.");
        app.MapPublic("/{year:int}/{month:int}/{day:int}/{slug}", Permalink, "PermalinkPage", "One published post.");
        return app;
    }

    public static async Task<HtmlPageResult> Home(
        string? before, HttpContext context, PostQueries posts, TagStore tags, PostArticles articles, FeedComposer composer, CancellationToken cancellationToken)
    {
        if (!TryReadCursor(before, out var cursor))
        {
            return BadCursor();
        }

        var page = await posts.ListAsync(new PostQuery { Statuses = _published, Limit = PostsPerPage, After = cursor }, cancellationToken);

        var tagList = (await tags.ListAsync(cancellationToken)).Where(t => t.IsPublic).ToList();
        return HtmlPageResult.For<HomePage>(new Dictionary<string, object?>
        {
            [nameof(HomePage.Articles)] = await articles.ListAsync(page.Posts, PageViewer.Of(context)),
            [nameof(HomePage.Tags)] = tagList,
            [nameof(HomePage.Position)] = Pager(composer, FeedKey.Everything, cursor, page.Next),
        });
    }

    public static async Task<Results<HtmlPageResult, RedirectHttpResult>> TagPage(
        string spec, string? before, HttpContext context, PostQueries posts, TagStore tags, PostArticles articles, FeedComposer composer,
        CancellationToken cancellationToken)
    {
        var slugs = spec.Split('+');
        if (slugs.Length > FeedKey.MaxTags || slugs.Any(s => s.Length == 0))
        {
            return NotFound($"Pages combine 1 to {FeedKey.MaxTags} tags.");
        }

        var found = new List<Tag>(slugs.Length);
        foreach (var slug in slugs)
        {
            if (await ResolveTagAsync(slug, tags, cancellationToken) is not { } tag)
            {
                return NotFound($"There is no tag '{slug}'.");
            }

            if (!found.Any(t => t.Slug == tag.Slug))
            {
                found.Add(tag);
            }
        }

        var key = FeedKey.ForTags(found);
        if (!found.Select(t => t.Slug).SequenceEqual(slugs, StringComparer.Ordinal))
        {
            // A renamed, merged or differently written tag: its old address keeps working, permanently moved.
            return TypedResults.Redirect(composer.PageUrl(key) + context.Request.QueryString, permanent: true);
        }

        if (!TryReadCursor(before, out var cursor))
        {
            return BadCursor();
        }

        var page = await posts.ListAsync(
            new PostQuery { AllTagSlugs = [.. found.Select(t => t.Slug)], Statuses = _published, Limit = PostsPerPage, After = cursor },
            cancellationToken);
        return HtmlPageResult.For<TagPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.TagPage.Key)] = key,
            [nameof(Pages.TagPage.Articles)] = await articles.ListAsync(page.Posts, PageViewer.Of(context)),
            [nameof(Pages.TagPage.Position)] = Pager(composer, key, cursor, page.Next),
        });
    }

    public static async Task<Results<HtmlPageResult, RedirectHttpResult, ActivityJsonResult>> Permalink(
        string year, string month, string day, string slug, HttpContext context, PostQueries posts, PostArticles articles, FeedComposer composer,
        ActivityPubDocuments notes, CancellationToken cancellationToken)
    {
        var post = await posts.GetBySlugAsync(slug, cancellationToken);
        if (post is not { Status: PostStatus.Published })
        {
            return NotFound("There is no post at this address.");
        }

        var date = post.PermalinkDate.UtcDateTime;
        if (year != date.ToString("yyyy") || month != date.ToString("MM") || day != date.ToString("dd"))
        {
            return TypedResults.Redirect(composer.PermalinkUrl(post), permanent: true);
        }

        context.Response.Headers.Vary = "Accept";
        if (notes.Enabled && ActivityStreams.IsWanted(context.Request.Headers.Accept))
        {
            return new ActivityJsonResult(notes.Note(post));
        }

        return HtmlPageResult.For<PermalinkPage>(new Dictionary<string, object?>
        {
            [nameof(PermalinkPage.Post)] = post,
            [nameof(PermalinkPage.Article)] = await articles.RenderAsync(post, heading: 1, PageViewer.Of(context)),
        });
    }

    /// <summary>The tag <paramref name="slug"/> names now: itself, the tag it was renamed to, or its normal form ("Python" → "python").</summary>
    private static async Task<Tag?> ResolveTagAsync(string slug, TagStore tags, CancellationToken cancellationToken)
    {
        var normal = Slugs.ForTag(slug);
        foreach (var candidate in normal == slug || normal.Length == 0 ? [slug] : new[] { slug, normal })
        {
            if (await tags.GetPublicAsync(candidate, cancellationToken) is { } tag)
            {
                return tag;
            }

            if (await tags.FindRenamedAsync(candidate, cancellationToken) is { } renamed
                && await tags.GetPublicAsync(renamed, cancellationToken) is { } current)
            {
                return current;
            }
        }

        return null;
    }

    internal static bool TryReadCursor(string? before, out PostCursor? cursor)
    {
        cursor = null;
        return before is null || PostCursor.TryDecode(before, out cursor);
    }

    private static PostPager Pager(FeedComposer composer, FeedKey key, PostCursor? current, PostCursor? next) =>
        Pager(composer.PageUrl(key), current, next);

    /// <summary>Where a page of posts sits in the list whose first page is <paramref name="first"/>.</summary>
    internal static PostPager Pager(string first, PostCursor? current, PostCursor? next) =>
        new(current is null, first, next is null ? null : first + "?before=" + Uri.EscapeDataString(next.Encode()));

    internal static HtmlPageResult NotFound(string message) => Problem("Not found", message, StatusCodes.Status404NotFound);

    internal static HtmlPageResult BadCursor() =>
        Problem("Bad request", "The 'before' parameter is not a position this site gave out.", StatusCodes.Status400BadRequest);

    /// <summary>A page saying what went wrong, for readers who followed a bad link.</summary>
    public static HtmlPageResult Problem(string heading, string message, int statusCode) =>
        HtmlPageResult.For<ProblemPage>(
            new Dictionary<string, object?> { [nameof(ProblemPage.Heading)] = heading, [nameof(ProblemPage.Message)] = message }, statusCode);
}
