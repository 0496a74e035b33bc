using System.ComponentModel.DataAnnotations;
using Feeds.Core.Syndication;
using Feeds.Server.Hosting;

namespace Feeds.Server.Publishing;

/// <summary>How the site presents itself in feeds and pages, and how feeds are served: section <c>Feeds:Publishing</c>.</summary>
public sealed class PublishingOptions : IValidatableObject
{
    public const string Section = FeedsOptions.Section + ":Publishing";

    /// <summary>The site's name; defaults to the host of Feeds:BaseUrl.</summary>
    public string? Title { get; set; }

    public string? Subtitle { get; set; }

    /// <summary>Who writes the posts. Unset, feeds and pages name no author (Atom, which requires one, names the site).</summary>
    public string? Author { get; set; }

    public string? AuthorUrl { get; set; }

    public string? IconUrl { get; set; }

    /// <summary>The tag: URI authority of every id (RFC 4151); defaults to the host of Feeds:BaseUrl. Never change it once published.</summary>
    public string? IdAuthority { get; set; }

    /// <summary>A day the authority was held, in the feed ids.</summary>
    public DateOnly IdDate { get; set; } = new(2026, 1, 1);

    /// <summary>Where an entry's alternate link points: the post's permalink (default) or the linked page.</summary>
    public EntryLink EntryLink { get; set; } = EntryLink.Permalink;

    [Range(1, 500)]
    public int EntriesPerFeed { get; set; } = 50;

    /// <summary>Cache-Control max-age of feed responses, in seconds.</summary>
    [Range(0, 86_400)]
    public int MaxAgeSeconds { get; set; } = 300;

    /// <summary>Memory for rendered feeds other than the firehose; the rest are read from the database when asked for.</summary>
    [Range(1, 4096)]
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>Proxies whose X-Forwarded-Proto and X-Forwarded-Host are believed (loopback always is).</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// A directory this node keeps the current feed documents in, with <c>.gz</c> and <c>.br</c> siblings, for a front
    /// server to serve (<c>deploy/nginx/</c>); unset (the default), none is kept.
    /// </summary>
    public string? StaticDirectory { get; set; }

    /// <summary>Seconds between sweeps that regenerate any feed a trigger missed.</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdAuthority is { } authority && (authority.Length == 0 || authority.AsSpan().IndexOfAny(",: /") >= 0))
        {
            yield return new ValidationResult($"{Section}:{nameof(IdAuthority)} must be a domain name or e-mail address.", [nameof(IdAuthority)]);
        }

        if (!string.IsNullOrWhiteSpace(AuthorUrl) && string.IsNullOrWhiteSpace(Author))
        {
            yield return new ValidationResult($"{Section}:{nameof(AuthorUrl)} needs {Section}:{nameof(Author)}, the name it links.", [nameof(AuthorUrl)]);
        }
    }

    public FeedSite ToSite(FeedsOptions feeds)
    {
        var host = new Uri(feeds.BaseUrl).Host;
        return new()
        {
            BaseUrl = feeds.BaseUrlTrimmed,
            Title = string.IsNullOrWhiteSpace(Title) ? host : Title,
            Subtitle = string.IsNullOrWhiteSpace(Subtitle) ? null : Subtitle,
            Author = string.IsNullOrWhiteSpace(Author) ? null : new FeedPerson(Author, string.IsNullOrWhiteSpace(AuthorUrl) ? null : AuthorUrl),
            IconUrl = IconUrl,
            IdAuthority = IdAuthority ?? host,
            IdDate = IdDate,
            EntryAlternateLink = EntryLink,
        };
    }
}
