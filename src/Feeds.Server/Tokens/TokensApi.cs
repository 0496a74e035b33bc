using Feeds.Contracts.Tokens;
using Feeds.Core.Text;
using Feeds.Data.Tokens;
using Feeds.Server.Auth;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feeds.Server.Tokens;

/// <summary><c>/api/tokens</c>: create, list and revoke API tokens. Every route needs a token itself.</summary>
public static class TokensApi
{
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization();
        group.MapPost("/", CreateToken).WithName("CreateToken").WithSummary("Creates an API token; the token is returned once.");
        group.MapGet("/", ListTokens).WithName("ListTokens").WithSummary("Lists API tokens (never their secrets).");
        group.MapDelete("/{id:guid}", RevokeToken).WithName("RevokeToken").WithSummary("Revokes an API token at once.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedTokenResponse>, ValidationProblem>> CreateToken(
        CreateTokenRequest request, TokenStore store, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        var problem = string.IsNullOrEmpty(name) ? "is required."
            : name.Length > MaxNameLength ? $"must be at most {MaxNameLength} characters."
            : TextRules.Problem(name, allowLineBreaks: false);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [problem] });
        }

        var (token, hash) = ApiTokens.Generate();
        var created = await store.CreateAsync(name!, hash, cancellationToken);
        return TypedResults.Created($"/api/tokens/{created.Id}", new CreatedTokenResponse(created.Id, created.Name, token, created.CreatedAt.UtcDateTime));
    }

    public static async Task<Ok<TokenResponse[]>> ListTokens(TokenStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken))
            .Select(t => new TokenResponse(t.Id, t.Name, t.CreatedAt.UtcDateTime, t.RevokedAt?.UtcDateTime)).ToArray());

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(Guid id, TokenStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound("Token", $"There is no live token with id {id}.");
}
