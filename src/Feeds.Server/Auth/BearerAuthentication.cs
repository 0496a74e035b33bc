using System.Security.Claims;
using System.Text.Encodings.Web;
using Feeds.Data.Tokens;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>. Requests without the header are anonymous (allowed to read
/// what is published); a header with a bad token fails, and every challenge is a 401 problem.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("the Authorization header must use the Bearer scheme");
        }

        var name = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (name is null)
        {
            return AuthenticateResult.Fail("the bearer token is not valid");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required",
                Detail = failure is null
                    ? "This request needs an Authorization: Bearer <token> header."
                    : $"Authentication failed: {failure}.",
            },
        });
    }
}

public static class AuthenticationExtensions
{
    public static IHostApplicationBuilder AddFeedsAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<AdminTokenFile>();
        builder.Services.AddSingleton<ApiTokens>();
        // Built at start-up rather than at the first request, so a generated admin token is on disk (and its path
        // logged) by the time the service answers.
        builder.AddStartupStep("admin token", (services, _) =>
        {
            services.GetRequiredService<ApiTokens>();
            return Task.CompletedTask;
        });
        builder.Services.AddAuthentication(BearerAuthenticationHandler.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.Scheme, null);
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Authenticates every request and refuses any that presents a bad token, even where anonymous access would
    /// do: a client whose token is wrong should hear so, not silently see less.
    /// </summary>
    public static WebApplication UseFeedsAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!context.IsAuthenticated() && context.Request.Headers.Authorization.Count > 0)
            {
                await context.ChallengeAsync();
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        return app;
    }

    public static bool IsAuthenticated(this HttpContext context) => context.User.Identity?.IsAuthenticated == true;
}
