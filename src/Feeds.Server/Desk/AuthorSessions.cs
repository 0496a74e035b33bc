using System.Security.Claims;
using Feeds.Data.Authors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Feeds.Server.Desk;

/// <summary>What a password check came to.</summary>
public enum PasswordCheck
{
    NoPasswordSet,
    Wrong,
    Right,
}

/// <summary>
/// The author's password and desk sessions: hashing with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>,
/// the cookie session, and the session stamp that a changed password renews, ending every other session on every node.
/// </summary>
public sealed partial class AuthorSessions(AuthorCredentialStore store, ILogger<AuthorSessions> logger)
{
    public const string Scheme = "Desk";

    /// <summary>The claim a session carries the stamp in.</summary>
    public const string StampClaim = "feeds:session-stamp";

    public const int MinPasswordLength = 10;

    public const int MaxPasswordLength = 1024;

    private static readonly PasswordHasher<Author> Hasher = new();

    private static readonly Author TheAuthor = new();

    /// <summary>Whether a password has been set: until then the sign-in page asks for the admin token and a first password.</summary>
    public async Task<bool> HasPasswordAsync(CancellationToken cancellationToken) => await CurrentAsync(cancellationToken) is not null;

    /// <summary>Why <paramref name="password"/> cannot be a password, or null when it can.</summary>
    public static string? PasswordProblem(string? password, string? confirmation) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinPasswordLength } => $"A password needs at least {MinPasswordLength} characters.",
        { Length: > MaxPasswordLength } => $"A password has at most {MaxPasswordLength} characters.",
        _ when password != confirmation => "The two passwords differ.",
        _ => null,
    };

    public async Task<PasswordCheck> CheckAsync(string? password, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } current)
        {
            return PasswordCheck.NoPasswordSet;
        }

        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
        {
            return PasswordCheck.Wrong;
        }

        return Hasher.VerifyHashedPassword(TheAuthor, current.PasswordHash, password) == PasswordVerificationResult.Failed
            ? PasswordCheck.Wrong
            : PasswordCheck.Right;
    }

    /// <summary>Sets the first password; false when one was set meanwhile.</summary>
    public async Task<bool> SetFirstPasswordAsync(string password, CancellationToken cancellationToken)
    {
        var set = await store.SetFirstAsync(Hasher.HashPassword(TheAuthor, password), cancellationToken);
        if (set is not null)
        {
            LogPasswordSet(logger);
        }

        return set is not null;
    }

    /// <summary>Replaces the password with a new stamp, so that every session but the one signed in again afterwards ends.</summary>
    public async Task ChangePasswordAsync(string password, CancellationToken cancellationToken)
    {
        if (await store.ReplaceAsync(Hasher.HashPassword(TheAuthor, password), cancellationToken) is null)
        {
            throw new InvalidOperationException("no password is set to change");
        }

        LogPasswordChanged(logger);
    }

    /// <summary>Starts a desk session for the author in <paramref name="context"/>'s response.</summary>
    public async Task SignInAsync(HttpContext context)
    {
        var current = await CurrentAsync(context.RequestAborted) ?? throw new InvalidOperationException("no password is set");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "author"), new Claim(ClaimTypes.Name, "author"), new Claim(StampClaim, current.SessionStamp)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>Refuses a session whose stamp is not the current one: the password changed since it began.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var current = await CurrentAsync(context.HttpContext.RequestAborted);
        if (current is null || context.Principal?.FindFirst(StampClaim)?.Value != current.SessionStamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Desk sign-in failed from {RemoteAddress}")]
    public static partial void LogSignInFailed(ILogger logger, string? remoteAddress);

    [LoggerMessage(LogLevel.Warning, "Desk first-run set-up refused from {RemoteAddress}: the admin token did not match")]
    public static partial void LogSetUpRefused(ILogger logger, string? remoteAddress);

    [LoggerMessage(LogLevel.Warning, "Desk sign-in attempts from {RemoteAddress} exceeded the limit; refused with 429")]
    public static partial void LogSignInLimited(ILogger logger, string? remoteAddress);

    [LoggerMessage(LogLevel.Information, "Desk sign-in from {RemoteAddress}")]
    public static partial void LogSignedIn(ILogger logger, string? remoteAddress);

    [LoggerMessage(LogLevel.Information, "The desk password was set")]
    private static partial void LogPasswordSet(ILogger logger);

    [LoggerMessage(LogLevel.Information, "The desk password was changed; every other session ends")]
    private static partial void LogPasswordChanged(ILogger logger);

    // Read each time, never kept: another node of a cluster may change the password, and one indexed row costs little.
    private Task<AuthorCredentials?> CurrentAsync(CancellationToken cancellationToken) => store.GetAsync(cancellationToken);

    /// <summary>The single user the hasher is typed for: the site has one author.</summary>
    public sealed class Author;
}
