using Microsoft.AspNetCore.Antiforgery;

namespace Feeds.Server.Desk;

/// <summary>
/// Every desk form post must carry this response's antiforgery token, including posts that send no other field (sign
/// out, discard, refresh): a forged cross-site post is refused before its handler runs.
/// </summary>
public static class FormTokens
{
    public static async ValueTask<object?> Require(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (HttpMethods.IsPost(context.Request.Method)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            return DeskPages.Problem(context, StatusCodes.Status400BadRequest, "Form expired",
                "This form's security token is missing or does not match: it may be old, or sent from another site. Open the page again and resend it.");
        }

        return await next(invocation);
    }
}
