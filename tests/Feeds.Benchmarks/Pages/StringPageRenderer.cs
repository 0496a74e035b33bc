extern alias server;

using System.Globalization;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Tags;
using server::Feeds.Server.Pages.Shared;

namespace Feeds.Benchmarks.Pages;

/// <summary>
/// The anchor of the page benchmark: the pages as the service built them before they were Razor components, in C#
/// strings through <see cref="HtmlWriter"/>, with the stylesheet inline, kept as they were.
/// </summary>
internal static class StringPageRenderer
{
    private static readonly FeedFormat[] _formats =
    [
        new("atom", "application/atom+xml", "Atom"),
        new("rss", "application/rss+xml", "RSS"),
        new("json", "application/feed+json", "JSON Feed"),
    ];

    // Small and readable on any screen; no web fonts, no scripts.
    private const string Stylesheet = """
        :root { color-scheme: light dark; --muted: #6a6a6a; --accent: #1a5fb4; }
        @media (prefers-color-scheme: dark) { :root { --muted: #a0a0a0; --accent: #78aeed; } }
        body { font: 1.05rem/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 42rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
        a { color: var(--accent); }
        header { border-bottom: 1px solid var(--muted); margin-bottom: 1.5rem; }
        header .site { font-size: 1.5rem; font-weight: 700; margin: 0; }
        header .site a { color: inherit; text-decoration: none; }
        header .subtitle { color: var(--muted); margin-top: 0.25rem; }
        h1 { font-size: 1.4rem; }
        article { margin: 0 0 2rem; }
        article h2, article h1 { font-size: 1.2rem; margin: 0 0 0.4rem; }
        .commentary img { max-width: 100%; height: auto; }
        .commentary blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid var(--muted); }
        .commentary pre { overflow-x: auto; }
        .meta, .via, .count, .subscribe, footer { color: var(--muted); font-size: 0.9rem; }
        .tags ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
        .pager { display: flex; justify-content: space-between; margin: 2rem 0; }
        footer { border-top: 1px solid var(--muted); margin-top: 2rem; padding-top: 0.5rem; }
        """;

    public static string Home(FeedComposer composer, IReadOnlyList<Post> posts, IReadOnlyList<TagSummary> tags, PostPager pager)
    {
        var site = composer.Site;
        return Document(composer, site.Title, canonicalUrl: pager.IsFirstPage ? composer.PageUrl(FeedKey.Everything) : null, [FeedKey.Everything], html =>
        {
            html.Raw("<h1>").Text(pager.IsFirstPage ? "Recent posts" : "Older posts").Raw("</h1>\n");
            PostList(html, composer, posts, "Nothing has been published yet.");
            Pager(html, pager);
            html.Raw("<nav class=\"tags\" aria-label=\"Tags\">\n<h2>Tags</h2>\n<ul>\n");
            foreach (var tag in tags)
            {
                html.Raw("<li>").Link(composer.TagPageUrl(new Tag(tag.Slug, tag.Name)), tag.Name)
                    .Raw(" <span class=\"count\">(").Text(tag.PublishedCount.ToString(CultureInfo.InvariantCulture)).Raw(")</span></li>\n");
            }

            html.Raw("</ul>\n</nav>\n");
        });
    }

    public static string TagPage(FeedComposer composer, FeedKey key, IReadOnlyList<Post> posts, PostPager pager)
    {
        var names = Names(key);
        return Document(composer, composer.Site.Title + ": " + names, canonicalUrl: pager.IsFirstPage ? composer.PageUrl(key) : null, [key], html =>
        {
            html.Raw("<h1>Posts tagged ").Text(names).Raw("</h1>\n");
            PostList(html, composer, posts, "No posts carry " + (key.Tags.Count == 1 ? "this tag" : "all of these tags") + " yet.");
            Pager(html, pager);
        });
    }

    public static string Permalink(FeedComposer composer, Post post)
    {
        FeedKey[] feeds = [FeedKey.Everything, .. post.Tags.Select(t => FeedKey.ForTags(t))];
        return Document(composer, post.Title + " · " + composer.Site.Title, composer.PermalinkUrl(post), feeds, html =>
            Article(html, composer, post, heading: "h1"));
    }

    public static string Problem(FeedComposer composer, string title, string message) =>
        Document(composer, title + " · " + composer.Site.Title, canonicalUrl: null, [FeedKey.Everything], html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1>\n<p>").Text(message).Raw(" ")
                .Link(composer.PageUrl(FeedKey.Everything), "See the recent posts").Raw(".</p>\n");
        });

    /// <summary>The URL of the feed of <paramref name="key"/> in one format, as the feed endpoints serve it.</summary>
    public static string FeedUrl(FeedComposer composer, FeedKey key, string extension) =>
        key.IsEverything ? composer.PageUrl(key) + "everything." + extension : composer.PageUrl(key) + "." + extension;

    private static string Document(FeedComposer composer, string title, string? canonicalUrl, IReadOnlyList<FeedKey> feeds, Action<HtmlWriter> main)
    {
        var site = composer.Site;
        var html = new HtmlWriter();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<title>").Text(title).Raw("</title>\n");
        if (site.Subtitle is { Length: > 0 } subtitle)
        {
            html.Raw("<meta name=\"description\" content=\"").Text(subtitle).Raw("\">\n");
        }

        if (site.Author is { } author)
        {
            html.Raw("<meta name=\"author\" content=\"").Text(author.Name).Raw("\">\n");
        }

        if (canonicalUrl is not null)
        {
            html.Raw("<link rel=\"canonical\" href=\"").Text(canonicalUrl).Raw("\">\n");
        }

        if (site.IconUrl is { Length: > 0 } icon)
        {
            html.Raw("<link rel=\"icon\" href=\"").Text(icon).Raw("\">\n");
        }

        foreach (var key in feeds)
        {
            var label = key.IsEverything ? site.Title : site.Title + ": " + Names(key);
            foreach (var format in _formats)
            {
                html.Raw("<link rel=\"alternate\" type=\"").Raw(format.MediaType).Raw("\" title=\"").Text(label + " (" + format.Name + ")")
                    .Raw("\" href=\"").Text(FeedUrl(composer, key, format.Extension)).Raw("\">\n");
            }
        }

        html.Raw("<style>\n").Raw(Stylesheet).Raw("\n</style>\n</head>\n<body>\n<header>\n<p class=\"site\">")
            .Link(composer.PageUrl(FeedKey.Everything), site.Title).Raw("</p>\n");
        if (site.Subtitle is { Length: > 0 } tagline)
        {
            html.Raw("<p class=\"subtitle\">").Text(tagline).Raw("</p>\n");
        }

        html.Raw("</header>\n<main>\n");
        main(html);
        html.Raw("</main>\n<footer>\n");
        foreach (var key in feeds)
        {
            html.Raw("<p class=\"subscribe\">Subscribe to ").Text(key.IsEverything ? "every post" : "posts tagged " + Names(key)).Raw(": ");
            for (var i = 0; i < _formats.Length; i++)
            {
                html.Raw(i == 0 ? "" : " · ").Link(FeedUrl(composer, key, _formats[i].Extension), _formats[i].Name);
            }

            html.Raw("</p>\n");
        }

        if (site.Author is { } by)
        {
            html.Raw("<p>By ");
            if (by.Url is { Length: > 0 } authorUrl)
            {
                html.Link(authorUrl, by.Name, "author");
            }
            else
            {
                html.Text(by.Name);
            }

            html.Raw(".</p>\n");
        }

        html.Raw("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void PostList(HtmlWriter html, FeedComposer composer, IReadOnlyList<Post> posts, string whenEmpty)
    {
        if (posts.Count == 0)
        {
            html.Raw("<p>").Text(whenEmpty).Raw("</p>\n");
            return;
        }

        foreach (var post in posts)
        {
            Article(html, composer, post, heading: "h2");
        }
    }

    /// <param name="heading">A literal element name: <c>h1</c> on the post's own page, <c>h2</c> in lists.</param>
    private static void Article(HtmlWriter html, FeedComposer composer, Post post, string heading)
    {
        html.Raw("<article class=\"post\">\n<").Raw(heading).Raw(">").Link(post.Url, post.Title).Raw("</").Raw(heading).Raw(">\n");
        if (post.CommentaryHtml.Length > 0)
        {
            // Sanitised when the post was stored; the one piece of a page that is HTML by design.
            html.Raw("<div class=\"commentary\">\n").Raw(post.CommentaryHtml).Raw("\n</div>\n");
        }

        if (post.Via is { } via)
        {
            html.Raw("<p class=\"via\">via ").Link(via.Url, via.Title ?? HostOf(via.Url)).Raw("</p>\n");
        }

        var date = post.PermalinkDate.UtcDateTime;
        html.Raw("<p class=\"meta\"><a rel=\"bookmark\" href=\"").Text(composer.PermalinkUrl(post)).Raw("\"><time datetime=\"")
            .Text(date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Raw("\">")
            .Text(date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)).Raw("</time></a>");
        if (post.Tags.Count > 0)
        {
            html.Raw(" · Tags: ");
            for (var i = 0; i < post.Tags.Count; i++)
            {
                html.Raw(i == 0 ? "" : ", ").Link(composer.TagPageUrl(post.Tags[i]), post.Tags[i].Name, "tag");
            }
        }

        html.Raw("</p>\n</article>\n");
    }

    private static void Pager(HtmlWriter html, PostPager pager)
    {
        if (pager.IsFirstPage && pager.OlderUrl is null)
        {
            return;
        }

        html.Raw("<nav class=\"pager\" aria-label=\"More posts\">\n");
        if (!pager.IsFirstPage)
        {
            html.Link(pager.FirstUrl, "← Newest posts").Raw("\n");
        }

        if (pager.OlderUrl is not null)
        {
            html.Link(pager.OlderUrl, "Older posts →", "next").Raw("\n");
        }

        html.Raw("</nav>\n");
    }

    private static string Names(FeedKey key) => string.Join(" + ", key.Tags.Select(t => t.Name));

    private static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : url;

    private sealed record FeedFormat(string Extension, string MediaType, string Name);
}
