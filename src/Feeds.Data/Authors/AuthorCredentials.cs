namespace Feeds.Data.Authors;

/// <summary>
/// The author's password as ASP.NET Core Identity hashed it, and the stamp every desk session carries: a new stamp
/// ends every session made before it.
/// </summary>
public sealed record AuthorCredentials(string PasswordHash, string SessionStamp, DateTimeOffset ChangedAt);
