using Feeds.Server.Auth;
using Feeds.Server.Desk.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// <c>/desk/sign-in</c>, <c>/desk/set-up</c> (the first visit: admin token and a first password), <c>/desk/sign-out</c>
/// and <c>/desk/password</c>. Attempts to sign in or set up are rate-limited per address and each failure is logged.
/// </summary>
public static class SignInEndpoints
{
    public sealed class SignInForm
    {
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class SetUpForm
    {
        public string? AdminToken { get; set; }
        public string? Password { get; set; }
        public string? Confirmation { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class PasswordForm
    {
        public string? Current { get; set; }
        public string? Password { get; set; }
        public string? Confirmation { get; set; }
    }

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/desk").AddEndpointFilter(FormTokens.Require).DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("/sign-in", ShowSignIn).AllowAnonymous();
        group.MapPost("/sign-in", SignIn).AllowAnonymous().RequireRateLimiting(DeskHosting.SignInLimit);
        group.MapPost("/set-up", SetUp).AllowAnonymous().RequireRateLimiting(DeskHosting.SignInLimit);
        group.MapPost("/sign-out", (Delegate)SignOut).RequireAuthorization(DeskHosting.Policy);
        group.MapGet("/password", (HttpContext context, bool? changed) =>
            DeskPages.Render<PasswordPage>(context, new Dictionary<string, object?> { [nameof(Pages.PasswordPage.Changed)] = changed == true }))
            .RequireAuthorization(DeskHosting.Policy);
        group.MapPost("/password", ChangePassword).RequireAuthorization(DeskHosting.Policy).RequireRateLimiting(DeskHosting.SignInLimit);
        return app;
    }

    public static async Task<IResult> ShowSignIn(HttpContext context, string? returnUrl, AuthorSessions sessions, CancellationToken cancellationToken)
    {
        var local = ReturnUrls.Local(returnUrl);
        if ((await context.AuthenticateAsync(AuthorSessions.Scheme)).Succeeded)
        {
            return Results.Redirect(local);
        }

        return SignInPage(context, await sessions.HasPasswordAsync(cancellationToken) is false, local, error: null);
    }

    public static async Task<IResult> SignIn(
        [FromForm] SignInForm form, HttpContext context, AuthorSessions sessions, ILogger<AuthorSessions> logger, CancellationToken cancellationToken)
    {
        var returnUrl = ReturnUrls.Local(form.ReturnUrl);
        switch (await sessions.CheckAsync(form.Password, cancellationToken))
        {
            case PasswordCheck.NoPasswordSet:
                return SignInPage(context, needsSetUp: true, returnUrl, "No password is set yet: set one first.", StatusCodes.Status409Conflict);
            case PasswordCheck.Wrong:
                AuthorSessions.LogSignInFailed(logger, context.Connection.RemoteIpAddress?.ToString());
                return SignInPage(context, needsSetUp: false, returnUrl, "That password is not right.", StatusCodes.Status400BadRequest);
            default:
                await sessions.SignInAsync(context);
                AuthorSessions.LogSignedIn(logger, context.Connection.RemoteIpAddress?.ToString());
                return Results.Redirect(returnUrl);
        }
    }

    public static async Task<IResult> SetUp(
        [FromForm] SetUpForm form, HttpContext context, AuthorSessions sessions, ApiTokens tokens, ILogger<AuthorSessions> logger,
        CancellationToken cancellationToken)
    {
        var returnUrl = ReturnUrls.Local(form.ReturnUrl);
        if (await sessions.HasPasswordAsync(cancellationToken))
        {
            return SignInPage(context, needsSetUp: false, returnUrl, "A password is set already: sign in with it.", StatusCodes.Status409Conflict);
        }

        if (!tokens.IsAdminToken(form.AdminToken))
        {
            AuthorSessions.LogSetUpRefused(logger, context.Connection.RemoteIpAddress?.ToString());
            return SignInPage(context, needsSetUp: true, returnUrl, "That is not the admin token.", StatusCodes.Status400BadRequest);
        }

        if (AuthorSessions.PasswordProblem(form.Password, form.Confirmation) is { } problem)
        {
            return SignInPage(context, needsSetUp: true, returnUrl, problem, StatusCodes.Status400BadRequest);
        }

        if (!await sessions.SetFirstPasswordAsync(form.Password!, cancellationToken))
        {
            return SignInPage(context, needsSetUp: false, returnUrl, "A password was set meanwhile: sign in with it.", StatusCodes.Status409Conflict);
        }

        await sessions.SignInAsync(context);
        return Results.Redirect(returnUrl);
    }

    public static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(AuthorSessions.Scheme);
        return Results.Redirect("/");
    }

    public static async Task<IResult> ChangePassword(
        [FromForm] PasswordForm form, HttpContext context, AuthorSessions sessions, ILogger<AuthorSessions> logger, CancellationToken cancellationToken)
    {
        if (await sessions.CheckAsync(form.Current, cancellationToken) != PasswordCheck.Right)
        {
            AuthorSessions.LogSignInFailed(logger, context.Connection.RemoteIpAddress?.ToString());
            return PasswordPage(context, "The current password is not right.", StatusCodes.Status400BadRequest);
        }

        if (AuthorSessions.PasswordProblem(form.Password, form.Confirmation) is { } problem)
        {
            return PasswordPage(context, problem, StatusCodes.Status400BadRequest);
        }

        await sessions.ChangePasswordAsync(form.Password!, cancellationToken);
        await sessions.SignInAsync(context);
        return Results.Redirect("/desk/password?changed=true");
    }

    private static IResult PasswordPage(HttpContext context, string error, int status) =>
        DeskPages.Render<PasswordPage>(context, new Dictionary<string, object?> { [nameof(Pages.PasswordPage.Error)] = error }, status);

    private static IResult SignInPage(HttpContext context, bool needsSetUp, string returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        DeskPages.Render<SignInPage>(context, new Dictionary<string, object?>
        {
            [nameof(Pages.SignInPage.NeedsSetUp)] = needsSetUp,
            [nameof(Pages.SignInPage.ReturnUrl)] = returnUrl,
            [nameof(Pages.SignInPage.Error)] = error,
        }, status);
}
