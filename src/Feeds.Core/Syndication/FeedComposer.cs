using System.Globalization;
using System.Text;
using Feeds.Core.Posts;

namespace Feeds.Core.Syndication;

/// <summary>
/// Turns published posts into <see cref="FeedEntry"/> and <see cref="FeedDocument"/> values for one site.
/// Stateless after construction, so one instance serves every thread.
/// </summary>
public sealed class FeedComposer
{
    private readonly FeedSite _site;
    private readonly string _baseUrl;
    private readonly string _feedIdPrefix;
    private readonly string _entryIdPrefix;
    private readonly string _tagPagePrefix;

    /// <summary>
    /// One builder per thread for entry content, which is about a kilobyte per post: only the finished
    /// string is allocated for each entry, not a builder and its buffer as well.
    /// </summary>
    [ThreadStatic]
    private static StringBuilder? t_contentBuilder;

    public FeedComposer(FeedSite site)
    {
        if (!Uri.TryCreate(site.BaseUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"BaseUrl '{site.BaseUrl}' is not an absolute URL.", nameof(site));
        }

        if (string.IsNullOrWhiteSpace(site.IdAuthority) || site.IdAuthority.AsSpan().IndexOfAny(",: /") >= 0)
        {
            throw new ArgumentException($"IdAuthority '{site.IdAuthority}' is not a domain name or e-mail address.", nameof(site));
        }

        _site = site;
        _baseUrl = site.BaseUrl.TrimEnd('/');
        _feedIdPrefix = string.Create(CultureInfo.InvariantCulture, $"tag:{site.IdAuthority},{site.IdDate:yyyy-MM-dd}:feed:");
        _entryIdPrefix = $"tag:{site.IdAuthority},";
        _tagPagePrefix = _baseUrl + "/tags/";
    }

    public FeedSite Site => _site;

    /// <summary>
    /// The entry id of <paramref name="post"/>: its creation day and its own id, which no edit changes.
    /// Readers key entries on it, so a new id would show the post to them a second time.
    /// </summary>
    public string EntryId(Post post) =>
        string.Create(_entryIdPrefix.Length + EntryIdSuffixLength, (_entryIdPrefix, post.CreatedAt.UtcDateTime, post.Id), static (id, state) =>
        {
            var (prefix, created, postId) = state;
            prefix.CopyTo(id);
            var rest = id[prefix.Length..];
            Permalinks.WriteDigits(rest[..4], created.Year);
            rest[4] = '-';
            Permalinks.WriteDigits(rest.Slice(5, 2), created.Month);
            rest[7] = '-';
            Permalinks.WriteDigits(rest.Slice(8, 2), created.Day);
            ":post:".CopyTo(rest[10..]);
            postId.TryFormat(rest[16..], out _, "D");
        });

    /// <summary>"yyyy-MM-dd:post:" and a Guid in its 36-character "D" form.</summary>
    private const int EntryIdSuffixLength = 10 + 6 + 36;

    /// <summary>The id shared by every page and archive document of the feed named by <paramref name="key"/>.</summary>
    public string FeedId(FeedKey key) => _feedIdPrefix + key.Value;

    public string PermalinkUrl(Post post) => _baseUrl + Permalinks.PathFor(post.PermalinkDate, UrlSegment(post.Slug));

    public string TagPageUrl(Tag tag) => _tagPagePrefix + UrlSegment(tag.Slug);

    /// <summary>The HTML page listing the posts of <paramref name="key"/>: the home page or a tag page.</summary>
    public string PageUrl(FeedKey key) =>
        key.IsEverything ? _baseUrl + "/" : _baseUrl + "/tags/" + string.Join('+', key.Tags.Select(t => UrlSegment(t.Slug)));

    public FeedEntry ComposeEntry(Post post)
    {
        if (post.Status != PostStatus.Published || post.PublishedAt is not { } published)
        {
            throw new ArgumentException($"post {post.Id} is not published, so it has no place in a feed.", nameof(post));
        }

        published = published.ToUniversalTime();
        var updated = post.UpdatedAt.ToUniversalTime();
        var permalink = PermalinkUrl(post);
        var categories = new FeedCategory[post.Tags.Count];
        for (var i = 0; i < categories.Length; i++)
        {
            var tag = post.Tags[i];
            categories[i] = new FeedCategory(tag.Slug, tag.Name, TagPageUrl(tag));
        }

        return new FeedEntry
        {
            Id = EntryId(post),
            Title = post.Title,
            Published = published,
            Updated = updated < published ? published : updated,
            AlternateUrl = _site.EntryAlternateLink == EntryLink.Target ? post.Url : permalink,
            RelatedUrl = post.Url,
            Categories = categories,
            ContentHtml = ContentHtml(post, categories),
        };
    }

    public IReadOnlyList<FeedEntry> ComposeEntries(IEnumerable<Post> posts) => [.. posts.Select(ComposeEntry)];

    /// <summary>
    /// A feed document of already composed entries, so one set of entries can serve every format
    /// (each with its own <see cref="FeedPage.SelfUrl"/>).
    /// </summary>
    /// <param name="emptyFeedUpdated">The feed's updated time when it has no entries, such as when its last post was deleted.</param>
    public FeedDocument ComposeDocument(FeedKey key, IReadOnlyList<FeedEntry> entries, FeedPage page, DateTimeOffset emptyFeedUpdated)
    {
        var updated = emptyFeedUpdated.ToUniversalTime();
        if (entries.Count > 0)
        {
            updated = entries[0].Updated;
            foreach (var entry in entries)
            {
                if (entry.Updated > updated)
                {
                    updated = entry.Updated;
                }
            }
        }

        return new FeedDocument
        {
            Id = FeedId(key),
            Title = key.IsEverything ? _site.Title : _site.Title + ": " + string.Join(" + ", key.Tags.Select(t => t.Name)),
            Subtitle = _site.Subtitle,
            Author = _site.Author,
            Updated = updated,
            Generator = _site.Generator,
            IconUrl = _site.IconUrl,
            SelfUrl = page.SelfUrl,
            AlternateUrl = PageUrl(key),

            // Commentary may link to other posts with site-relative URLs; readers resolve them against this.
            XmlBase = _baseUrl + "/",
            FirstUrl = page.FirstUrl,
            NextUrl = page.NextUrl,
            PreviousUrl = page.PreviousUrl,
            CurrentUrl = page.CurrentUrl,
            PrevArchiveUrl = page.PrevArchiveUrl,
            NextArchiveUrl = page.NextArchiveUrl,
            IsArchive = page.IsArchive,
            Entries = entries,
        };
    }

    public FeedDocument Compose(FeedKey key, IEnumerable<Post> posts, FeedPage page, DateTimeOffset emptyFeedUpdated) =>
        ComposeDocument(key, ComposeEntries(posts), page, emptyFeedUpdated);

    /// <summary>Commentary, then the link itself with its "via", then the tags: the whole post for readers that show only content.</summary>
    private static string ContentHtml(Post post, FeedCategory[] categories)
    {
        var html = t_contentBuilder ??= new StringBuilder(4096);
        html.Clear();
        if (post.CommentaryHtml.Length > 0)
        {
            html.Append(post.CommentaryHtml).Append('\n');
        }

        html.Append("<p><a href=\"");
        HtmlText.Append(html, post.Url);
        html.Append("\">");
        HtmlText.Append(html, post.Title);
        html.Append("</a>");
        if (post.Via is { } via)
        {
            html.Append(" (via <a href=\"");
            HtmlText.Append(html, via.Url);
            html.Append("\">");
            HtmlText.Append(html, via.Title ?? HostOf(via.Url));
            html.Append("</a>)");
        }

        html.Append("</p>");
        if (categories.Length > 0)
        {
            html.Append("\n<p>Tags: ");
            for (var i = 0; i < categories.Length; i++)
            {
                if (i > 0)
                {
                    html.Append(", ");
                }

                html.Append("<a rel=\"tag\" href=\"");
                HtmlText.Append(html, categories[i].Scheme);
                html.Append("\">");
                HtmlText.Append(html, categories[i].Label);
                html.Append("</a>");
            }

            html.Append("</p>");
        }

        var content = html.ToString();
        if (html.Capacity > 64 * 1024)
        {
            // An unusually long post should not keep its buffer alive on this thread.
            t_contentBuilder = null;
        }

        return content;
    }

    private static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : url;

    /// <summary>Slugs may hold letters of any script; URLs carry them percent-encoded.</summary>
    private static string UrlSegment(string slug) => Uri.EscapeDataString(XmlChars.Clean(slug));
}
