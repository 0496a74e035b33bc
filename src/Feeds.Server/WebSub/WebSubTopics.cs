using System.Text.RegularExpressions;
using Feeds.Core.Links;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Hosting;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>A topic of the built-in hub: one format of one feed, named by its canonical URL.</summary>
public sealed record WebSubTopic(string Url, FeedKey Key, IFeedWriter Writer);

/// <summary>
/// The topics of this site: the subscription document of every feed in every format, each named by exactly the URL the
/// feed gives as its <c>rel="self"</c>. Older pages and archives are not topics: they never change, or change only as
/// the feed does.
/// </summary>
public sealed partial class WebSubTopics(IOptions<FeedsOptions> site, TagStore tags, PostQueries posts)
{
    private readonly string _baseUrl = site.Value.BaseUrlTrimmed;

    /// <summary>The topic <paramref name="url"/> names, or null with why it is not one of this site's.</summary>
    public async Task<(WebSubTopic? Topic, string? Problem)> ResolveAsync(string url, CancellationToken cancellationToken)
    {
        var notOurs = $"'{url}' is not a feed of this site; its feeds are {_baseUrl}/everything.atom, .rss, .json, the tag feeds beneath {_baseUrl}/tags/ and the site feeds beneath {_baseUrl}/site/.";
        if (!url.StartsWith(_baseUrl + "/", StringComparison.Ordinal) || FeedPath().Match(url[_baseUrl.Length..]) is not { Success: true } match)
        {
            return (null, notOurs);
        }

        var writer = FeedWriters.ForExtension(match.Groups["format"].Value)!;
        var spec = match.Groups["spec"];
        FeedKey key;
        if (match.Groups["site"] is { Success: true } linked)
        {
            if (!LinkSites.TryNormalize(Uri.UnescapeDataString(linked.Value), out var normal))
            {
                return (null, notOurs);
            }

            key = FeedKey.ForSite(normal);
            if ((await posts.ListPublishedAsync(key, null, 1, cancellationToken)).Posts.Count == 0)
            {
                return (null, $"No post links to {LinkSites.Display(normal)}.");
            }
        }
        else if (!spec.Success)
        {
            key = FeedKey.Everything;
        }
        else
        {
            var slugs = spec.Value.Split('+').Select(Uri.UnescapeDataString).ToList();
            if (slugs.Count > FeedKey.MaxTags)
            {
                return (null, $"A feed combines at most {FeedKey.MaxTags} tags.");
            }

            var found = new List<Core.Posts.Tag>();
            foreach (var slug in FeedUrls.CanonicalSlugs(slugs))
            {
                if (await tags.GetPublicAsync(slug, cancellationToken) is not { } tag)
                {
                    return (null, $"There is no tag '{slug}'.");
                }

                found.Add(tag);
            }

            key = FeedKey.ForTags(found);
        }

        var canonical = FeedUrls.Feed(_baseUrl, key, writer);
        return canonical == url ? (new WebSubTopic(canonical, key, writer), null) : (null, $"The topic is not canonical: subscribe to {canonical}.");
    }

    [GeneratedRegex("^/(?:everything|tags/(?<spec>[^/?#]+)|site/(?<site>[^/?#]+))\\.(?<format>atom|rss|json)$", RegexOptions.CultureInvariant)]
    private static partial Regex FeedPath();
}
