namespace Feeds.Server.Pages;

/// <summary>
/// The headers that confine what a page may do, on every answer that passes through the pipeline (pages, the desk,
/// the API and its problems; the feed endpoints short-circuit before it and carry no markup). Scripts and styles
/// come only from the site's own files (no inline code, so nothing injected into a post could run), images and media
/// from anywhere a post links to, forms post back only to the site, and no other site may frame a page.
/// </summary>
public static class ContentSecurityPolicy
{
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; media-src https: http:; " +
        "connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseFeedsContentSecurityPolicy(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return next(context);
        });
}
