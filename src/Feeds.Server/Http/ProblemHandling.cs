using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Http;

/// <summary>
/// Every failure leaves as RFC 9457 problem details: malformed bodies (bad JSON, a field given twice, text that is not
/// UTF-8 or escapes half a surrogate pair, a value of the wrong type, no body at all) and query values not of their
/// parameter's type as 400 naming the field, oversized bodies as 413, unexpected errors as 500 without internals, empty
/// error statuses (404, 405, 415) filled in.
/// </summary>
public static class ProblemHandling
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddFeedsProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // A misspelt field is an error to report, not something to drop silently; a field given twice is refused
            // rather than read as whichever came last, which other readers of the same text may not agree on.
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            // The API's bodies are the contracts the CLI shares, read and written through their generated metadata.
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, Feeds.Contracts.FeedsJson.Resolver);
        });
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
            options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }

    public static WebApplication UseFeedsProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            var problem = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => new ProblemDetails
                {
                    Title = "Request body too large",
                    Detail = $"Request bodies are limited to {MaxRequestBodyBytes / 1024} KiB.",
                },
                _ when FindJsonException(bad) is { } json => new HttpValidationProblemDetails(JsonProblems.Describe(json))
                {
                    Title = "The request body is not valid JSON for this endpoint",
                },
                _ => new HttpValidationProblemDetails(BindingProblems.Describe(bad))
                {
                    Title = "The request does not fit this endpoint",
                },
            };
            problem.Status = bad.StatusCode;
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }

        private static JsonException? FindJsonException(Exception exception)
        {
            for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is JsonException json)
                {
                    return json;
                }
            }

            return null;
        }
    }
}
