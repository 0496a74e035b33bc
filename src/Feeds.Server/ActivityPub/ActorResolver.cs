using Feeds.Contracts.Text;
using Feeds.Data.Tags;

namespace Feeds.Server.ActivityPub;

/// <summary>Which of the site's actors a handle or an id names: the site, or a tag that has a published post.</summary>
public sealed class ActorResolver(ActivityPubActors actors, TagStore tags)
{
    /// <summary>The actor a handle's name stands for: the site, or a tag with a published post; null for any other.</summary>
    public async Task<ActorRef?> ResolveNameAsync(string name, CancellationToken cancellationToken)
    {
        if (name.Equals(actors.SiteName, StringComparison.OrdinalIgnoreCase))
        {
            return ActorRef.Site;
        }

        var slug = name.StartsWith(ActivityPubActors.TagPrefix, StringComparison.OrdinalIgnoreCase) ? name[ActivityPubActors.TagPrefix.Length..] : name;
        return await ResolveTagAsync(slug, cancellationToken);
    }

    /// <summary>The tag actor for a slug as written in a URL or handle, when the tag has a published post.</summary>
    public async Task<ActorRef?> ResolveTagAsync(string slug, CancellationToken cancellationToken)
    {
        if (slug.Length == 0)
        {
            return null;
        }

        var tag = await tags.GetPublicAsync(slug, cancellationToken);
        if (tag is null && Slugs.ForTag(slug) is { Length: > 0 } normal && normal != slug)
        {
            tag = await tags.GetPublicAsync(normal, cancellationToken);
        }

        return tag is null ? null : ActorRef.ForTag(tag.Slug);
    }

    /// <summary>Which of the site's actors an id (as a remote server names it in a <c>Follow</c>) is; null for none.</summary>
    public async Task<ActorRef?> ResolveIdAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return null;
        }

        if (id == actors.Id(ActorRef.Site))
        {
            return ActorRef.Site;
        }

        var prefix = actors.TagActorPrefix;
        return id.StartsWith(prefix, StringComparison.Ordinal) && id.IndexOfAny(['/', '#', '?'], prefix.Length) < 0
            ? await ResolveTagAsync(Uri.UnescapeDataString(id[prefix.Length..]), cancellationToken)
            : null;
    }
}
