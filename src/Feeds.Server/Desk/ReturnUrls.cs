namespace Feeds.Server.Desk;

/// <summary>Where a desk form may send the author afterwards: only a path on this site, never another site.</summary>
public static class ReturnUrls
{
    /// <summary><paramref name="url"/> when it is a path on this site, else <paramref name="fallback"/>.</summary>
    public static string Local(string? url, string fallback = "/desk") => IsLocal(url) ? url! : fallback;

    // "//host" and "/\host" are read by browsers as other sites; control characters can hide either.
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
