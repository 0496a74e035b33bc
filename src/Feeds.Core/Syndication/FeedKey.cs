using System.Diagnostics.CodeAnalysis;
using Feeds.Core.Posts;

namespace Feeds.Core.Syndication;

/// <summary>
/// Which posts a feed holds: every post (<c>everything</c>), the posts carrying all of up to
/// <see cref="MaxTags"/> tags (<c>tag:python</c>, <c>tag:ai+llms</c>), or the posts linking to one site
/// (<c>site:example.com</c>, see <see cref="Links.LinkSites"/>). The value is stable, so it names the feed in storage
/// and in its <c>tag:</c> id.
/// </summary>
public sealed class FeedKey : IEquatable<FeedKey>
{
    public const int MaxTags = 3;
    private const string TagPrefix = "tag:";
    private const string SitePrefix = "site:";

    private FeedKey(IReadOnlyList<Tag> tags, string value, string? site = null)
    {
        Tags = tags;
        Value = value;
        Site = site;
    }

    public static FeedKey Everything { get; } = new([], "everything");

    /// <summary>The tags the feed requires, in the order given; empty for the firehose and a site's feed.</summary>
    public IReadOnlyList<Tag> Tags { get; }

    /// <summary>The site whose posts the feed holds (<c>example.com</c>, punycode); null for the firehose and tag feeds.</summary>
    public string? Site { get; }

    public string Value { get; }

    public bool IsEverything => Tags.Count == 0 && Site is null;

    /// <summary>The key of the feed of posts linking to <paramref name="site"/>, a site in its one form (<see cref="Links.LinkSites"/>).</summary>
    public static FeedKey ForSite(string site)
    {
        if (string.IsNullOrEmpty(site) || site.Any(char.IsWhiteSpace) || site.Any(char.IsUpper))
        {
            throw new ArgumentException($"'{site}' is not a site in its one form.", nameof(site));
        }

        return new FeedKey([], SiteValueFor(site), site);
    }

    /// <summary>The <see cref="Value"/> of the feed of <paramref name="site"/>.</summary>
    public static string SiteValueFor(string site) => SitePrefix + site;

    /// <summary>The site a stored <see cref="Value"/> names, or null for a value that names no site's feed.</summary>
    public static string? SiteOf(string value) =>
        value.StartsWith(SitePrefix, StringComparison.Ordinal) && value.Length > SitePrefix.Length ? value[SitePrefix.Length..] : null;

    /// <summary>The key of the feed of posts carrying every one of <paramref name="tags"/>.</summary>
    public static FeedKey ForTags(params IReadOnlyList<Tag> tags)
    {
        if (tags.Count is 0 or > MaxTags)
        {
            throw new ArgumentException($"a tag feed combines 1 to {MaxTags} tags (got {tags.Count}).", nameof(tags));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag.Slug) || tag.Slug.Contains('+', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{tag.Slug}' is not a tag slug.", nameof(tags));
            }
        }

        return new FeedKey([.. tags], ValueFor(string.Join('+', tags.Select(t => t.Slug))));
    }

    /// <summary>
    /// The <see cref="Value"/> for slugs joined with '+' as given (empty: the firehose). Only slugs that are sorted and
    /// distinct give the value of a feed that exists.
    /// </summary>
    public static string ValueFor(string joinedSlugs) => joinedSlugs.Length == 0 ? Everything.Value : TagPrefix + joinedSlugs;

    /// <summary>The tag slugs a stored <see cref="Value"/> names, empty for the firehose; false for a site's feed or a value that is no feed key.</summary>
    public static bool TrySlugsOf(string value, [NotNullWhen(true)] out string[]? slugs)
    {
        slugs = value == Everything.Value ? []
            : value.StartsWith(TagPrefix, StringComparison.Ordinal) ? value[TagPrefix.Length..].Split('+')
            : null;
        return slugs is not null;
    }

    /// <summary>Whether a stored <see cref="Value"/> names a combination of tags rather than one tag or the firehose.</summary>
    public static bool IsCombination(string value) => TrySlugsOf(value, out var slugs) && slugs.Length > 1;

    /// <summary>
    /// Whether a stored <see cref="Value"/> names a feed that exists once it is read (a combination of tags, a site's):
    /// there are too many of either to render them all on every change, so only those in use are kept current.
    /// </summary>
    public static bool IsOnDemand(string value) =>
        value.StartsWith(SitePrefix, StringComparison.Ordinal) || (value.StartsWith(TagPrefix, StringComparison.Ordinal) && value.Contains('+', StringComparison.Ordinal));

    /// <summary>The slugs joined with '+', as a feed's URL names them (empty for the firehose).</summary>
    public string JoinedSlugs => Tags.Count == 0 ? "" : Value[TagPrefix.Length..];

    public bool Equals(FeedKey? other) => other is not null && Value == other.Value;

    public override bool Equals(object? obj) => Equals(obj as FeedKey);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Value;
}
