using Feeds.Server.Http;

namespace Feeds.Server.Pages;

/// <summary>
/// How every public page and document outside the API and the feeds is routed: GET and HEAD, through the output cache
/// that post changes clear, and left out of the API's OpenAPI description.
/// </summary>
public static class PublicRoutes
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteHandlerBuilder MapPublic(this IEndpointRouteBuilder app, string pattern, Delegate handler, string name, string summary) =>
        app.MapMethods(pattern, GetAndHead, handler).WithName(name).WithSummary(summary).CacheOutput(ApiCaching.Policy).ExcludeFromDescription();
}
