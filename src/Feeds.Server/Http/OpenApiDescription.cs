using Feeds.Server.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Feeds.Server.Http;

/// <summary>
/// <c>/openapi/v1.json</c>. Each route declares the problems its handler answers (404, 409, 422); what the pipeline
/// answers for every route is added here once: the bearer scheme and 401 where a token is required, and 413 wherever a
/// body is read.
/// </summary>
public static class OpenApiDescription
{
    private const string ProblemMediaType = "application/problem+json";

    public static IHostApplicationBuilder AddFeedsOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerAuthenticationHandler.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token: the admin token, or one made with POST /api/tokens.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribePipelineAnswersAsync);
        });
        return builder;
    }

    private static async Task DescribePipelineAnswersAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var requiresToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        operation.Responses ??= [];
        if (requiresToken)
        {
            await AddProblemAsync(operation, context, StatusCodes.Status401Unauthorized, "No token, or one that is not valid.", cancellationToken);
        }

        // A route open to anyone that still answers 401 shows more to a token (drafts), so the token is optional there.
        if (requiresToken || operation.Responses.ContainsKey("401"))
        {
            var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerAuthenticationHandler.Scheme, context.Document)] = [] };
            operation.Security = requiresToken ? [bearer] : [new OpenApiSecurityRequirement(), bearer];
        }

        if (operation.RequestBody is not null)
        {
            await AddProblemAsync(
                operation, context, StatusCodes.Status413PayloadTooLarge, $"The body is over the limit of {ProblemHandling.MaxRequestBodyBytes / (1024 * 1024)} MiB.", cancellationToken);
        }
    }

    private static async Task AddProblemAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description, CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken) },
            },
        };
    }
}
