using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Http;

/// <summary>Problem results the endpoints share.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: detail);
}
