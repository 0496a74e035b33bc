namespace Feeds.Server.ActivityPub;

/// <summary>One of the site's actors: the site itself (every post), or one tag (its posts), as followers are stored (<see cref="Key"/>).</summary>
public sealed record ActorRef(string? TagSlug)
{
    public static ActorRef Site { get; } = new((string?)null);

    public static ActorRef ForTag(string slug) => new(slug);

    public bool IsSite => TagSlug is null;

    /// <summary><c>site</c> or <c>tag:{slug}</c>.</summary>
    public string Key => TagSlug is null ? "site" : "tag:" + TagSlug;

    public static ActorRef? FromKey(string key) =>
        key == "site" ? Site : key.StartsWith("tag:", StringComparison.Ordinal) && key.Length > 4 ? ForTag(key[4..]) : null;
}
