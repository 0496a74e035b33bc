using Feeds.Core.Syndication;
using Feeds.Server.Desk.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Desk;

/// <summary>Renders desk pages: the Razor component of the page inside <see cref="DeskRoot"/>, with this response's form token.</summary>
public static class DeskPages
{
    public static IResult Render<TPage>(HttpContext context, IDictionary<string, object?>? parameters = null, int statusCode = StatusCodes.Status200OK)
    {
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var frame = new DeskFrame(
            tokens.FormFieldName, tokens.RequestToken!, context.User.Identity?.AuthenticationType == AuthorSessions.Scheme,
            services.GetRequiredService<FeedComposer>().Site.Title);
        return new RazorComponentResult<DeskRoot>(new Dictionary<string, object?>
        {
            [nameof(DeskRoot.Frame)] = frame,
            [nameof(DeskRoot.Page)] = typeof(TPage),
            [nameof(DeskRoot.PageParameters)] = parameters ?? new Dictionary<string, object?>(),
        })
        {
            StatusCode = statusCode,
        };
    }

    /// <summary>A page saying what went wrong, with a way back.</summary>
    public static IResult Problem(HttpContext context, int statusCode, string title, string message) =>
        Render<ProblemPage>(context, new Dictionary<string, object?> { [nameof(ProblemPage.Heading)] = title, [nameof(ProblemPage.Message)] = message }, statusCode);
}
