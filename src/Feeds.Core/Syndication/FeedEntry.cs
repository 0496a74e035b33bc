namespace Feeds.Core.Syndication;

/// <summary>One post as a feed entry.</summary>
public sealed record FeedEntry
{
    /// <summary>A permanent <c>tag:</c> URI from the post's own id; never derived from its link or title.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }
    public required DateTimeOffset Published { get; init; }

    /// <summary>The last substantive edit; never earlier than <see cref="Published"/>.</summary>
    public required DateTimeOffset Updated { get; init; }

    /// <summary>Where the entry is read on the web: the permalink, or the target if the site chooses so.</summary>
    public required string AlternateUrl { get; init; }

    /// <summary>The page the post links to.</summary>
    public required string RelatedUrl { get; init; }

    public required IReadOnlyList<FeedCategory> Categories { get; init; }

    /// <summary>Complete, safe HTML for the entry body.</summary>
    public required string ContentHtml { get; init; }
}
