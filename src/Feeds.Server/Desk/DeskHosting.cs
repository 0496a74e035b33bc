using System.Threading.RateLimiting;
using Feeds.Data.Authors;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Desk;

public static class DeskHosting
{
    /// <summary>The authorization policy of every desk page: a desk session (cookie), never an API token.</summary>
    public const string Policy = "Desk";

    /// <summary>The rate limiter policy of the forms that check a password or the admin token.</summary>
    public const string SignInLimit = "desk-sign-in";

    public const string SessionCookie = "feeds_desk";

    /// <summary>
    /// The desk: the author's cookie session beside the API's bearer tokens, form tokens, the sign-in rate limit,
    /// the title fetcher and the tag suggestions.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsDesk(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AuthorCredentialStore>();
        builder.Services.AddSingleton<AuthorSessions>();
        builder.Services.AddSingleton<TitleFetcher>();
        builder.Services.AddSingleton<TagSuggestions>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "feeds_form";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        // Session cookies and form tokens outlive a restart and are read by every node: the keys that protect them are in the database.
        builder.Services.AddSingleton<SessionKeyStore>();
        builder.Services.AddDataProtection();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<SessionKeyStore>((keys, store) => keys.XmlRepository = new DatabaseKeyRepository(store));

        builder.Services.AddAuthentication().AddCookie(AuthorSessions.Scheme);
        builder.Services.AddOptions<CookieAuthenticationOptions>(AuthorSessions.Scheme).Configure<IOptions<DeskOptions>>((cookie, desk) =>
        {
            cookie.Cookie.Name = SessionCookie;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over HTTPS, directly or (as forwarded headers tell) through a proxy.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/desk/sign-in";
            cookie.LogoutPath = "/desk/sign-out";
            cookie.AccessDeniedPath = "/desk/sign-in";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.ExpireTimeSpan = desk.Value.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<AuthorSessions>().ValidateAsync(context);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(AuthorSessions.Scheme).RequireAuthenticatedUser());

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInLimit, context =>
            {
                var desk = context.RequestServices.GetRequiredService<IOptions<DeskOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = desk.SignInAttempts, Window = desk.SignInWindow, QueueLimit = 0 });
            });
            limiter.OnRejected = OnSignInLimitedAsync;
        });

        return builder;
    }

    /// <summary>
    /// Runs before authentication. Rate limits; <c>no-store</c> on every desk answer (the redirects to sign in too); and the author's session on
    /// the public pages too, so that they show the author a post's edit and delete controls. The API stays with its
    /// bearer tokens: a browser's cookie never authorises an API call.
    /// </summary>
    public static WebApplication UseFeedsDesk(this WebApplication app)
    {
        app.UseRateLimiter();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/desk"))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
            }
            else if (!path.StartsWithSegments("/api") && HttpMethods.IsGet(context.Request.Method)
                     && context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(SessionCookie)
                     && await context.AuthenticateAsync(AuthorSessions.Scheme) is { Succeeded: true } session)
            {
                // Set before the output cache, which neither serves nor stores the pages of an authenticated request. A
                // request with an Authorization header is the API's, judged by its token alone.
                context.User = session.Principal;
            }

            await next(context);
        });
        return app;
    }

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder app)
    {
        app.MapDeskManifest();
        app.MapSignIn();
        var desk = app.MapGroup("/desk").RequireAuthorization(Policy).AddEndpointFilter(FormTokens.Require).DisableAntiforgery().ExcludeFromDescription();
        desk.MapCompose();
        desk.MapDrafts();
        desk.MapDeskSearch();
        desk.MapDeskSources();
        desk.MapDeskApi();
        return app;
    }

    private static async ValueTask OnSignInLimitedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        AuthorSessions.LogSignInLimited(context.RequestServices.GetRequiredService<ILogger<AuthorSessions>>(), context.Connection.RemoteIpAddress?.ToString());
        var window = context.RequestServices.GetRequiredService<IOptions<DeskOptions>>().Value.SignInWindow;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await DeskPages.Problem(context, StatusCodes.Status429TooManyRequests, "Too many attempts",
            $"Too many sign-in attempts from this address. Try again in {window.TotalSeconds:0} seconds.").ExecuteAsync(context);
    }
}
