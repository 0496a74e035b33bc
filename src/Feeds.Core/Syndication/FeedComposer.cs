using System.Globalization;
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

        // Every URL of the site starts with this, so pages, permalinks and tag links carry the host in punycode too.
        _baseUrl = LinkHref.ForHtml(site.BaseUrl).TrimEnd('/');
        var authority = TagUri.Authority(site.IdAuthority);
        _feedIdPrefix = string.Create(CultureInfo.InvariantCulture, $"tag:{authority},{site.IdDate:yyyy-MM-dd}:feed:");
        _entryIdPrefix = $"tag:{authority},";
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
    public string FeedId(FeedKey key) => _feedIdPrefix + TagUri.Escape(key.Value);

    public string PermalinkUrl(Post post) => PermalinkUrl(post.Slug, post.PermalinkDate);

    /// <summary>The permalink of the post <paramref name="slug"/> filed under <paramref name="date"/> (<see cref="Post.PermalinkDate"/>).</summary>
    public string PermalinkUrl(string slug, DateTimeOffset date) => _baseUrl + Permalinks.PathFor(date, UrlSegment(slug));

    public string TagPageUrl(Tag tag) => _tagPagePrefix + UrlSegment(tag.Slug);

    /// <summary>The page of the posts linking to <paramref name="site"/> (<see cref="Links.LinkSites"/>).</summary>
    public string SitePageUrl(string site) => _baseUrl + "/site/" + UrlSegment(site);

    /// <summary>The HTML page listing the posts of <paramref name="key"/>: the home page, a tag page or a site's page.</summary>
    public string PageUrl(FeedKey key) =>
        key.Site is { } site ? SitePageUrl(site)
        : key.IsEverything ? _baseUrl + "/"
        : _baseUrl + "/tags/" + string.Join('+', key.Tags.Select(t => UrlSegment(t.Slug)));

    /// <summary>What a feed is called after the site's title: its tags as a reader names them (<c>AI + LLMs</c>) or the site it links to.</summary>
    public static string Subject(FeedKey key) =>
        key.Site is { } site ? Links.LinkSites.Display(site) : string.Join(" + ", key.Tags.Select(t => t.Name));

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
    public FeedDocument ComposeDocument(FeedKey key, IReadOnlyList<FeedEntry> entries, FeedPage page, DateTimeOffset emptyFeedUpdated) =>
        Document(
            FeedId(key), key.IsEverything ? _site.Title : _site.Title + ": " + Subject(key), PageUrl(key),
            entries, page, emptyFeedUpdated);

    /// <summary>
    /// The feed of a search: <paramref name="query"/> in the search language's own words (<c>SearchQuery.ToString</c>)
    /// names it, its id and title; its page is the search page of that query.
    /// </summary>
    public FeedDocument ComposeSearchDocument(string query, IReadOnlyList<FeedEntry> entries, FeedPage page, DateTimeOffset emptyFeedUpdated) =>
        Document(_feedIdPrefix + "search:" + TagUri.Escape(query), _site.Title + ": search for " + query, SearchPageUrl(query), entries, page, emptyFeedUpdated);

    public string SearchPageUrl(string query) => _baseUrl + "/search?q=" + Uri.EscapeDataString(query);

    private FeedDocument Document(string id, string title, string alternateUrl, IReadOnlyList<FeedEntry> entries, FeedPage page, DateTimeOffset emptyFeedUpdated)
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
            Id = id,
            Title = title,
            Subtitle = _site.Subtitle,
            Author = _site.Author,
            SiteTitle = _site.Title,
            Updated = updated,
            Generator = _site.Generator,
            IconUrl = _site.IconUrl,
            SelfUrl = page.SelfUrl,
            AlternateUrl = alternateUrl,

            // Commentary may link to other posts with site-relative URLs; readers resolve them against this.
            XmlBase = _baseUrl + "/",
            FirstUrl = page.FirstUrl,
            NextUrl = page.NextUrl,
            PreviousUrl = page.PreviousUrl,
            CurrentUrl = page.CurrentUrl,
            PrevArchiveUrl = page.PrevArchiveUrl,
            NextArchiveUrl = page.NextArchiveUrl,
            IsArchive = page.IsArchive,
            HubUrl = page.HubUrl,
            Entries = entries,
        };
    }

    public FeedDocument Compose(FeedKey key, IEnumerable<Post> posts, FeedPage page, DateTimeOffset emptyFeedUpdated) =>
        ComposeDocument(key, ComposeEntries(posts), page, emptyFeedUpdated);

    /// <summary>
    /// Commentary, then the link itself with its "via", then the tags: the whole post for readers that show
    /// only content. Measured first and then written into a string of exactly that length: the content is most
    /// of a feed's text, and building it in a buffer meant copying it twice.
    /// </summary>
    private static string ContentHtml(Post post, FeedCategory[] categories)
    {
        var via = post.Via is { } link ? new ViaLink(LinkHref.ForHtml(link.Url), link.Title ?? HostOf(link.Url)) : null;
        var target = LinkHref.ForHtml(post.Url);
        var measure = new ContentLength();
        WriteContent(ref measure, post, target, via, categories);
        return string.Create(measure.Length, (post, target, via, categories), static (destination, state) =>
        {
            var content = new ContentWriter(destination);
            WriteContent(ref content, state.post, state.target, state.via, state.categories);
        });
    }

    private static void WriteContent<T>(ref T html, Post post, string target, ViaLink? via, FeedCategory[] categories)
        where T : IContentSink, allows ref struct
    {
        if (post.CommentaryHtml.Length > 0)
        {
            html.Append(post.CommentaryHtml);
            html.Append("\n");
        }

        html.Append("<p><a href=\"");
        html.AppendEncoded(target);
        html.Append("\">");
        html.AppendEncoded(post.Title);
        html.Append("</a>");
        if (via is not null)
        {
            html.Append(" (via <a href=\"");
            html.AppendEncoded(via.Url);
            html.Append("\">");
            html.AppendEncoded(via.Title);
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
                html.AppendEncoded(categories[i].Scheme);
                html.Append("\">");
                html.AppendEncoded(categories[i].Label);
                html.Append("</a>");
            }

            html.Append("</p>");
        }
    }

    private sealed record ViaLink(string Url, string Title);

    private interface IContentSink
    {
        void Append(string text);

        void AppendEncoded(string text);
    }

    private struct ContentLength : IContentSink
    {
        public int Length { get; private set; }

        public void Append(string text) => Length += text.Length;

        public void AppendEncoded(string text) => Length += HtmlText.EncodedLength(text);
    }

    private ref struct ContentWriter(Span<char> destination) : IContentSink
    {
        private readonly Span<char> _destination = destination;
        private int _written;

        public void Append(string text)
        {
            text.CopyTo(_destination[_written..]);
            _written += text.Length;
        }

        public void AppendEncoded(string text) => _written += HtmlText.Encode(text, _destination[_written..]);
    }

    private static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : url;

    /// <summary>Slugs may hold letters of any script; URLs carry them percent-encoded.</summary>
    private static string UrlSegment(string slug) => Uri.EscapeDataString(XmlChars.Clean(slug));
}
