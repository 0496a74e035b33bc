namespace Feeds.Contracts.Posts;

/// <summary>
/// The limits of a post and what makes its link acceptable: the server validates with them, and the CLI makes imported
/// bookmarks fit them before sending, so the two cannot drift apart.
/// </summary>
public static class PostLimits
{
    public const int MaxUrlLength = 2048;
    public const int MaxTitleLength = 500;
    public const int MaxCommentaryLength = 100_000;
    public const int MaxTags = 20;
    public const int MaxTagNameLength = 100;

    /// <summary>The problem with <paramref name="value"/> as an absolute http(s) URL, or null when it is one.</summary>
    public static string? UrlProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxUrlLength)
        {
            return $"must be at most {MaxUrlLength} characters.";
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "must not contain spaces or control characters.";
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute http or https URL.";
        }

        return null;
    }
}
