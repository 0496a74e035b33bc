using System.Globalization;
using Feeds.Core.Links;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Http;
using Feeds.Server.WebSub;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Feeds.Server.Publishing;

/// <summary>
/// Serves the feeds: <c>/everything.{atom,rss,json}</c>, <c>/tags/{a}[+{b}[+{c}]].{atom,rss,json}</c>,
/// <c>/site/{domain}.{atom,rss,json}</c>, their older pages (<c>?before=</c>) and monthly archives. The current documents come from memory, precompressed, with
/// validators, so most requests are a dictionary lookup and one write.
/// </summary>
public static class FeedEndpoints
{
    private const string Formats = "regex(^(atom|rss|json)$)";
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"/everything.{{format:{Formats}}}", GetOrHead, (HttpContext context, string format) => ServeAsync(context, "", format))
            .WithName("Firehose").WithTags("Feeds").WithSummary("Every published post, newest first.").ShortCircuit();
        app.MapMethods($"/tags/{{spec}}.{{format:{Formats}}}", GetOrHead, ServeAsync)
            .WithName("TagFeed").WithTags("Feeds").WithSummary("The posts carrying a tag, or all of up to three tags joined with '+'.").ShortCircuit();
        // Routing matches the last dot, so /site/example.com.atom is the site example.com in Atom.
        app.MapMethods($"/site/{{site}}.{{format:{Formats}}}", GetOrHead, ServeSiteAsync)
            .WithName("SiteFeed").WithTags("Feeds").WithSummary("The posts linking to one site (its host without 'www.').").ShortCircuit();
        app.MapMethods($"/everything/archive/{{year:int}}/{{month:int}}.{{format:{Formats}}}", GetOrHead,
                (HttpContext context, int year, int month, string format) => ServeArchiveAsync(context, "", year, month, format, isSite: false))
            .WithName("FirehoseArchive").WithTags("Feeds").WithSummary("One month of the firehose (RFC 5005 archive).");
        app.MapMethods($"/tags/{{spec}}/archive/{{year:int}}/{{month:int}}.{{format:{Formats}}}", GetOrHead,
                (HttpContext context, string spec, int year, int month, string format) => ServeArchiveAsync(context, spec, year, month, format, isSite: false))
            .WithName("TagFeedArchive").WithTags("Feeds").WithSummary("One month of a tag feed (RFC 5005 archive).");
        app.MapMethods($"/site/{{site}}/archive/{{year:int}}/{{month:int}}.{{format:{Formats}}}", GetOrHead,
                (HttpContext context, string site, int year, int month, string format) => ServeArchiveAsync(context, site, year, month, format, isSite: true))
            .WithName("SiteFeedArchive").WithTags("Feeds").WithSummary("One month of a site's feed (RFC 5005 archive).");
        return app;
    }

    public static Task ServeAsync(HttpContext context, string spec, string format) => ServeFeedAsync(context, spec, format, isSite: false);

    public static Task ServeSiteAsync(HttpContext context, string site, string format) => ServeFeedAsync(context, site, format, isSite: true);

    /// <summary>The feed of the tags joined in <paramref name="spec"/> (none: the firehose), or of the site it names.</summary>
    private static async Task ServeFeedAsync(HttpContext context, string spec, string format, bool isSite)
    {
        var writer = FeedWriters.ForExtension(format)!;
        var services = context.RequestServices;
        var hosts = services.GetRequiredService<SiteHosts>();
        var isCanonicalHost = hosts.IsCanonical(context.Request.Host);
        var before = context.Request.Query["before"];

        // The hot path: the current document of a known feed, asked for at the site's own host. The cache holds
        // canonical keys only, so a spec that is not canonical (unsorted, repeated, an old slug) misses and is resolved below.
        if (before.Count == 0 && isCanonicalHost
            && services.GetRequiredService<FeedCache>().TryGet(isSite ? FeedKey.SiteValueFor(spec) : FeedKey.ValueFor(spec), writer, out var hot))
        {
            await WriteAsync(context, hot, ContentCoding.Choose(context.Request.Headers.AcceptEncoding), HubLink(services, hot));
            return;
        }

        var publisher = services.GetRequiredService<FeedPublisher>();
        var resolution = await ResolveAsync(context, spec, isSite);
        if (resolution.Redirect is { } redirect)
        {
            context.Response.Redirect($"{FeedUrls.Stem(redirect)}.{writer.FileExtension}{context.Request.QueryString}", permanent: true);
            return;
        }

        if (resolution.Key is not { } key)
        {
            await Results.Problem(statusCode: 404, title: "Feed not found", detail: resolution.Problem).ExecuteAsync(context);
            return;
        }

        if (before.Count > 0)
        {
            if (!PostCursor.TryDecode(before, out var cursor))
            {
                await Results.ValidationProblem(new Dictionary<string, string[]> { ["before"] = ["is not a cursor this feed handed out."] }).ExecuteAsync(context);
                return;
            }

            var self = $"{FeedUrls.Feed(hosts.BaseUrlFor(context.Request), key, writer)}?before={cursor!.Encode()}";
            var page = await publisher.RenderPageAsync(key, writer, cursor, self, context.RequestAborted);
            await WriteAsync(context, ForOneRequest(context, key, writer, page), coding: null);
            return;
        }

        if (!isCanonicalHost)
        {
            var own = await publisher.RenderCurrentAsync(key, writer, FeedUrls.Feed(hosts.BaseUrlFor(context.Request), key, writer), context.RequestAborted);
            var alias = ForOneRequest(context, key, writer, own);
            await WriteAsync(context, alias, coding: null, HubLink(services, alias));
            return;
        }

        var coding = ContentCoding.Choose(context.Request.Headers.AcceptEncoding);
        var current = await publisher.GetAsync(key, writer, coding, context.RequestAborted);
        await WriteAsync(context, current, coding, HubLink(services, current));
    }

    private static async Task ServeArchiveAsync(HttpContext context, string spec, int year, int month, string format, bool isSite)
    {
        var writer = FeedWriters.ForExtension(format)!;
        var resolution = await ResolveAsync(context, spec, isSite);
        if (resolution.Redirect is { } redirect)
        {
            context.Response.Redirect(
                string.Create(CultureInfo.InvariantCulture, $"{FeedUrls.Stem(redirect)}/archive/{year:D4}/{month:D2}.{writer.FileExtension}"), permanent: true);
            return;
        }

        byte[]? body = null;
        if (resolution.Key is { } key && year is >= 1970 and <= 9999 && month is >= 1 and <= 12)
        {
            body = await context.RequestServices.GetRequiredService<FeedPublisher>()
                .RenderArchiveAsync(key, writer, new DateOnly(year, month, 1), context.RequestAborted);
        }

        if (body is null)
        {
            await Results.Problem(statusCode: 404, title: "Archive not found", detail: resolution.Problem ?? "The feed has no posts in that month.")
                .ExecuteAsync(context);
            return;
        }

        await WriteAsync(context, ForOneRequest(context, resolution.Key!, writer, body), coding: null);
    }

    private static RenderedFeed ForOneRequest(HttpContext context, FeedKey key, IFeedWriter writer, byte[] body) =>
        RenderedFeed.ForOneRequest(key.Value, writer, body, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    /// <summary>WebSub section 4: a subscription document's response names its hub and its topic.</summary>
    private static string? HubLink(IServiceProvider services, RenderedFeed feed) =>
        services.GetService<WebSubDiscovery>()?.LinkHeader(feed.FeedKey, feed.Writer.FileExtension);

    /// <summary>
    /// Writes a document with its validators in <paramref name="coding"/> (null: uncompressed), answering 304 when the
    /// reader already has it. The coding is chosen once per request, since a document read from storage holds only that body.
    /// </summary>
    public static Task WriteAsync(HttpContext context, RenderedFeed feed, string? coding, string? link = null)
    {
        var response = context.Response;
        var headers = response.Headers;
        var maxAge = context.RequestServices.GetRequiredService<IOptions<PublishingOptions>>().Value.MaxAgeSeconds;
        headers.ETag = feed.ETagFor(coding);
        headers.LastModified = feed.LastModifiedHeader;
        headers.CacheControl = CacheControls.For(maxAge);
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.AccessControlAllowOrigin = "*";
        if (link is not null)
        {
            headers.Link = link;
        }

        if (IsNotModified(context.Request, feed))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = feed.Writer.MediaType;
        var body = coding switch
        {
            ContentCoding.Brotli => feed.Brotli,
            ContentCoding.Gzip => feed.Gzip,
            _ => feed.Body,
        };
        if (coding is not null)
        {
            headers.ContentEncoding = coding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// RFC 9110 section 13.1: If-None-Match by weak comparison (readers echo <c>W/"…"</c>) with the document's tag in any
    /// coding, else If-Modified-Since.
    /// </summary>
    private static bool IsNotModified(HttpRequest request, RenderedFeed feed)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            // The codings hold the same content, so a reader that has one of them has the document: asking again
            // with other codings, it still gets a 304.
            return IfNoneMatch.Matches(ifNoneMatch, feed.ETag, feed.GzipETag, feed.BrotliETag);
        }

        return request.Headers.IfModifiedSince.Count > 0
            && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && feed.LastModified <= since;
    }

    private static Task<(FeedKey? Key, FeedKey? Redirect, string? Problem)> ResolveAsync(HttpContext context, string spec, bool isSite) =>
        isSite ? ResolveSiteAsync(context, spec) : ResolveTagsAsync(context, spec, FeedUrls.CanonicalSlugs(spec.Length == 0 ? [] : spec.Split('+')));

    /// <summary>A site's feed exists while a published post links there; a site written otherwise (<c>WWW.Example.com</c>, Unicode) is moved to its one form.</summary>
    private static async Task<(FeedKey? Key, FeedKey? Redirect, string? Problem)> ResolveSiteAsync(HttpContext context, string site)
    {
        if (!LinkSites.TryNormalize(site, out var normal))
        {
            return (null, null, $"'{site}' is not a domain name.");
        }

        var key = FeedKey.ForSite(normal);
        if (normal != site)
        {
            return (null, key, null);
        }

        return await context.RequestServices.GetRequiredService<FeedPublisher>().HasPostsAsync(key, context.RequestAborted)
            ? (key, null, null)
            : (null, null, $"No post links to {LinkSites.Display(normal)}.");
    }

    private static async Task<(FeedKey? Key, FeedKey? Redirect, string? Problem)> ResolveTagsAsync(HttpContext context, string spec, IReadOnlyList<string> slugs)
    {
        if (slugs.Count > FeedKey.MaxTags)
        {
            return (null, null, $"A feed combines at most {FeedKey.MaxTags} tags.");
        }

        var tags = context.RequestServices.GetRequiredService<TagStore>();
        var found = new List<Core.Posts.Tag>(slugs.Count);
        var renamed = false;
        foreach (var slug in slugs)
        {
            var tag = await tags.GetPublicAsync(slug, context.RequestAborted);
            if (tag is null && await tags.FindRenamedAsync(slug, context.RequestAborted) is { } newSlug)
            {
                tag = await tags.GetPublicAsync(newSlug, context.RequestAborted);
                renamed = true;
            }

            if (tag is null)
            {
                return (null, null, $"There is no tag '{slug}'.");
            }

            found.Add(tag);
        }

        var key = found.Count == 0 ? FeedKey.Everything : FeedKey.ForTags([.. found.DistinctBy(t => t.Slug).OrderBy(t => t.Slug, StringComparer.Ordinal)]);
        return renamed || spec != key.JoinedSlugs ? (null, key, null) : (key, null, null);
    }
}
