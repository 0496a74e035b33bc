using Feeds.Core.Syndication;
using Feeds.Server.Desk.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Feeds.Server.Pages;

namespace Feeds.Server.Desk;

/// <summary>
/// Renders desk pages through the site's <see cref="HtmlPageResult"/>, never stored: the page's Razor component inside
/// <see cref="DeskRoot"/>, which hands every form in it this response's antiforgery token.
/// </summary>
public static class DeskPages
{
    public static IResult Render<TPage>(HttpContext context, IDictionary<string, object?>? parameters = null, int statusCode = StatusCodes.Status200OK)
    {
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var frame = new DeskFrame(
            tokens.FormFieldName, tokens.RequestToken!, context.User.Identity?.AuthenticationType == AuthorSessions.Scheme,
            services.GetRequiredService<FeedComposer>().Site.Title);
        return HtmlPageResult.For<DeskRoot>(
            new Dictionary<string, object?>
            {
                [nameof(DeskRoot.Frame)] = frame,
                [nameof(DeskRoot.Page)] = typeof(TPage),
                [nameof(DeskRoot.PageParameters)] = parameters ?? new Dictionary<string, object?>(),
            },
            statusCode,
            PageCaching.NoStore);
    }

    /// <summary>A page saying what went wrong, with a way back.</summary>
    public static IResult Problem(HttpContext context, int statusCode, string title, string message) =>
        Render<DeskProblemPage>(context, new Dictionary<string, object?> { [nameof(DeskProblemPage.Heading)] = title, [nameof(DeskProblemPage.Message)] = message }, statusCode);
}
