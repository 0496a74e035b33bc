namespace Feeds.Server.ActivityPub;

/// <summary>The media types and fixed names of ActivityStreams 2.0.</summary>
public static class ActivityStreams
{
    public const string MediaType = "application/activity+json";

    public const string Context = "https://www.w3.org/ns/activitystreams";

    public const string Public = Context + "#Public";

    public const string SecurityContext = "https://w3id.org/security/v1";

    /// <summary>
    /// Whether an <c>Accept</c> header asks for ActivityStreams rather than HTML: <c>application/activity+json</c>, or
    /// <c>application/ld+json</c> with the ActivityStreams profile.
    /// </summary>
    public static bool IsWanted(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return false;
        }

        foreach (var part in accept.Split(','))
        {
            var value = part.Trim();
            if (value.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase)
                || (value.StartsWith("application/ld+json", StringComparison.OrdinalIgnoreCase) && value.Contains(Context, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
