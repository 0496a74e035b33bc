using System.Text.Json.Nodes;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// The ActivityStreams documents the site serves and sends: its actors, each post as a <c>Note</c>, the
/// <c>Create</c>/<c>Update</c>/<c>Delete</c> that carry it, the <c>Accept</c> of a follow, and collections.
/// A post's note has an id of its own (<c>/ap/posts/{id}</c>) that no edit of its slug changes; its <c>url</c> is the permalink.
/// </summary>
public sealed class ActivityPubDocuments(ActivityPubActors actors, SiteKey key, FeedComposer composer, IOptions<FeedsOptions> site)
{
    public bool Enabled => actors.Enabled;

    public string NoteId(Guid postId) => site.Value.BaseUrlTrimmed + "/ap/posts/" + postId.ToString("D");

    public JsonObject Actor(ActorRef actor, Tag? tag)
    {
        var id = actors.Id(actor);
        var feedSite = composer.Site;
        var document = new JsonObject
        {
            ["@context"] = new JsonArray(ActivityStreams.Context, ActivityStreams.SecurityContext),
            ["id"] = id,
            ["type"] = "Service",
            ["preferredUsername"] = actors.Name(actor),
            ["name"] = tag is null ? feedSite.Title : feedSite.Title + ": " + tag.Name,
            ["summary"] = System.Net.WebUtility.HtmlEncode(tag is null
                ? feedSite.Subtitle ?? "Every post of " + feedSite.Title
                : $"Posts of {feedSite.Title} tagged {tag.Name}"),
            ["url"] = tag is null ? composer.PageUrl(FeedKey.Everything) : composer.TagPageUrl(tag),
            ["inbox"] = actors.Inbox(actor),
            ["outbox"] = actors.Outbox(actor),
            ["followers"] = actors.Followers(actor),
            ["manuallyApprovesFollowers"] = false,
            ["discoverable"] = true,
            ["endpoints"] = new JsonObject { ["sharedInbox"] = actors.SharedInbox },
            ["publicKey"] = new JsonObject
            {
                ["id"] = actors.KeyId(actor),
                ["owner"] = id,
                ["publicKeyPem"] = key.PublicKeyPem,
            },
        };
        if (feedSite.IconUrl is { Length: > 0 } icon)
        {
            document["icon"] = new JsonObject { ["type"] = "Image", ["url"] = icon };
        }

        return document;
    }

    /// <summary>The post as a note: its commentary, the link (and where it was found), and its tags as hashtags.</summary>
    public JsonObject Note(Post post)
    {
        var content = new System.Text.StringBuilder(post.CommentaryHtml);
        content.Append("<p><a href=\"").Append(Encode(post.Url)).Append("\">").Append(Encode(post.Title)).Append("</a></p>");
        if (post.Via is { } via)
        {
            content.Append("<p>via <a href=\"").Append(Encode(via.Url)).Append("\">").Append(Encode(via.Title ?? via.Url)).Append("</a></p>");
        }

        var hashtags = new JsonArray();
        if (post.Tags.Count > 0)
        {
            content.Append("<p>");
            foreach (var tag in post.Tags)
            {
                var page = composer.TagPageUrl(tag);
                content.Append("<a href=\"").Append(Encode(page)).Append("\" class=\"mention hashtag\" rel=\"tag\">#<span>")
                    .Append(Encode(HashtagName(tag))).Append("</span></a> ");
                hashtags.Add(new JsonObject { ["type"] = "Hashtag", ["href"] = page, ["name"] = "#" + HashtagName(tag) });
            }

            content.Length--;
            content.Append("</p>");
        }

        var note = new JsonObject
        {
            ["@context"] = ActivityStreams.Context,
            ["id"] = NoteId(post.Id),
            ["type"] = "Note",
            ["attributedTo"] = actors.Id(ActorRef.Site),
            ["content"] = content.ToString(),
            ["url"] = composer.PermalinkUrl(post),
            ["published"] = Time(post.PublishedAt ?? post.CreatedAt),
            ["to"] = new JsonArray(ActivityStreams.Public),
            ["cc"] = Audience(post),
            ["tag"] = hashtags,
            ["attachment"] = new JsonArray(new JsonObject { ["type"] = "Link", ["href"] = post.Url, ["name"] = post.Title }),
        };
        if (post.PublishedAt is { } published && post.UpdatedAt > published)
        {
            note["updated"] = Time(post.UpdatedAt);
        }

        return note;
    }

    public JsonObject Create(Post post) => Activity("Create", NoteId(post.Id) + "/activity", post, Note(post));

    public JsonObject Update(Post post) =>
        Activity("Update", NoteId(post.Id) + "/updates/" + post.UpdatedAt.ToUnixTimeMilliseconds(), post, Note(post));

    public JsonObject Delete(Post post) => Activity("Delete", NoteId(post.Id) + "/delete", post, new JsonObject
    {
        ["id"] = NoteId(post.Id),
        ["type"] = "Tombstone",
        ["formerType"] = "Note",
    });

    /// <summary>The site actor's <c>Accept</c> of a follow, which carries the follow as it came.</summary>
    public JsonObject Accept(ActorRef actor, JsonNode follow, string followerId, Guid acceptId) => new()
    {
        ["@context"] = ActivityStreams.Context,
        ["id"] = actors.Id(actor) + "/accepts/" + acceptId.ToString("D"),
        ["type"] = "Accept",
        ["actor"] = actors.Id(actor),
        ["to"] = new JsonArray(followerId),
        ["object"] = follow.DeepClone(),
    };

    public static JsonObject Collection(string id, int? totalItems, string? first)
    {
        var collection = new JsonObject { ["@context"] = ActivityStreams.Context, ["id"] = id, ["type"] = "OrderedCollection" };
        if (totalItems is { } total)
        {
            collection["totalItems"] = total;
        }

        if (first is not null)
        {
            collection["first"] = first;
        }

        return collection;
    }

    private JsonObject Activity(string type, string id, Post post, JsonObject @object)
    {
        @object.Remove("@context");
        return new JsonObject
        {
            ["@context"] = ActivityStreams.Context,
            ["id"] = id,
            ["type"] = type,
            ["actor"] = actors.Id(ActorRef.Site),
            ["published"] = Time(type == "Create" ? post.PublishedAt ?? post.CreatedAt : post.UpdatedAt),
            ["to"] = new JsonArray(ActivityStreams.Public),
            ["cc"] = Audience(post),
            ["object"] = @object,
        };
    }

    /// <summary>The followers of the site and of each of the post's tags.</summary>
    private JsonArray Audience(Post post) =>
        new([.. new[] { actors.Followers(ActorRef.Site) }.Concat(post.Tags.Select(t => actors.Followers(ActorRef.ForTag(t.Slug)))).Select(u => (JsonNode)u!)]);

    /// <summary>Hashtags are letters, digits and underscores on Mastodon; a slug's hyphens become underscores.</summary>
    public static string HashtagName(Tag tag) => tag.Slug.Replace('-', '_');

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
