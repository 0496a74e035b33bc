using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Names and addresses of the site's actors. The site actor is <c>@{name}@{host}</c>; each tag with a published post
/// is <c>@{slug}@{host}</c>, or <c>@tag.{slug}@{host}</c> when its slug is the site actor's name or not a plain
/// ASCII name (<c>tag.{slug}</c> is accepted for every tag). Actors live under <c>/ap/</c>: <c>/ap/actor</c> and
/// <c>/ap/tags/{slug}</c>, each with <c>/inbox</c>, <c>/outbox</c> and <c>/followers</c>; <c>/ap/inbox</c> is the
/// shared inbox. It reads no posts or tags (<see cref="ActorResolver"/> does), so the post hooks may use it.
/// </summary>
public sealed class ActivityPubActors(IOptions<FeedsOptions> site, IOptions<ActivityPubOptions> options)
{
    public const string TagPrefix = "tag.";

    private readonly Uri _baseUrl = new(site.Value.BaseUrl);

    private string Base => site.Value.BaseUrlTrimmed;

    /// <summary>The site's address for <paramref name="path"/>.</summary>
    public string SiteUrl(string path) => Base + path;

    public string SiteName => options.Value.SiteActorName(_baseUrl);

    /// <summary>Whether the actors are served and posts delivered (<see cref="ActivityPubOptions.IsEnabled"/>).</summary>
    public bool Enabled => options.Value.IsEnabled(_baseUrl, out _);

    /// <summary>The host part of handles: the base URL's host, with its port when it is not the default.</summary>
    public string Domain => _baseUrl.IsDefaultPort ? _baseUrl.IdnHost : _baseUrl.IdnHost + ":" + _baseUrl.Port;

    /// <summary>Where the tag actors' ids start.</summary>
    public string TagActorPrefix => Base + "/ap/tags/";

    public string SharedInbox => Base + "/ap/inbox";

    public string Id(ActorRef actor) => actor.IsSite ? Base + "/ap/actor" : Base + "/ap/tags/" + Uri.EscapeDataString(actor.TagSlug!);

    public string Inbox(ActorRef actor) => Id(actor) + "/inbox";

    public string Outbox(ActorRef actor) => Id(actor) + "/outbox";

    public string Followers(ActorRef actor) => Id(actor) + "/followers";

    public string KeyId(ActorRef actor) => Id(actor) + "#main-key";

    /// <summary>The name in the actor's handle (<c>preferredUsername</c>).</summary>
    public string Name(ActorRef actor)
    {
        if (actor.IsSite)
        {
            return SiteName;
        }

        var slug = actor.TagSlug!;
        return slug != SiteName && IsPlainName(slug) ? slug : TagPrefix + slug;
    }

    public string Handle(ActorRef actor) => "@" + Name(actor) + "@" + Domain;

    private static bool IsPlainName(string slug) => slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.');
}
