using Feeds.Core.Posts;
using Feeds.Core.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Caching.Memory;

namespace Feeds.Server.Pages.Shared;

/// <summary>
/// Each post's <see cref="PostArticle"/> as HTML, rendered once and kept while the post reads the same: pages emit the
/// kept markup instead of building a render tree per post, which cost twice the time of the string-built pages they
/// replaced. A kept article is used only for a post equal in everything the article shows (a tag renamed changes its
/// markup without touching the post), so an edit shows at once and nothing needs telling; the cache is bounded by size.
/// </summary>
public sealed class PostArticles(ComponentRenderers renderers) : IDisposable
{
    // About 16 MB of UTF-16: the articles of the few thousand newest posts, which are nearly all any page shows.
    private const long CharactersKept = 8_000_000;

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = CharactersKept });

    /// <summary>The articles of <paramref name="posts"/> as a list shows them (headed <c>h2</c>).</summary>
    public async Task<IReadOnlyList<MarkupString>> ListAsync(IReadOnlyList<Post> posts, PageViewer viewer)
    {
        var articles = new MarkupString[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            articles[i] = await RenderAsync(posts[i], heading: 2, viewer);
        }

        return articles;
    }

    /// <summary>The article of one post, headed <c>h1</c> on its own page and <c>h2</c> in lists.</summary>
    public async ValueTask<MarkupString> RenderAsync(Post post, int heading, PageViewer viewer)
    {
        var key = new Key(post.Id, heading, viewer.IsAuthor);
        if (_kept.TryGetValue(key, out Kept? kept) && kept!.Shows(post))
        {
            return new MarkupString(kept.Html);
        }

        var html = await renderers.RenderToStringAsync<PostArticle>(new Dictionary<string, object?>
        {
            [nameof(PostArticle.Post)] = post,
            [nameof(PostArticle.Heading)] = heading,
            [nameof(PostArticle.Viewer)] = viewer,
        });
        _kept.Set(key, new Kept(post, html), new MemoryCacheEntryOptions { Size = html.Length });
        return new MarkupString(html);
    }

    /// <summary>
    /// The post's commentary as plain text of at most <paramref name="maxLength"/> characters (<see cref="PlainSummary"/>),
    /// kept while the commentary reads the same: a permalink's description would otherwise parse the HTML on every view.
    /// </summary>
    public string DescriptionOf(Post post, int maxLength)
    {
        var key = new DescriptionKey(post.Id, maxLength);
        if (_kept.TryGetValue(key, out KeptDescription? kept) && kept!.CommentaryHtml == post.CommentaryHtml)
        {
            return kept.Text;
        }

        var text = PlainSummary.Of(post.CommentaryHtml, maxLength);
        _kept.Set(key, new KeptDescription(post.CommentaryHtml, text), new MemoryCacheEntryOptions { Size = text.Length + 1 });
        return text;
    }

    public void Dispose() => _kept.Dispose();

    private sealed record Key(Guid PostId, int Heading, bool ForAuthor);

    private sealed record DescriptionKey(Guid PostId, int MaxLength);

    private sealed record KeptDescription(string CommentaryHtml, string Text);

    private sealed record Kept(Post Post, string Html)
    {
        /// <summary>Whether <paramref name="post"/> reads as the post this was rendered from, in all the article shows.</summary>
        public bool Shows(Post post) =>
            post.Title == Post.Title && post.Url == Post.Url && post.CommentaryHtml == Post.CommentaryHtml && post.Via == Post.Via
            && post.Slug == Post.Slug && post.PermalinkDate == Post.PermalinkDate && post.Tags.SequenceEqual(Post.Tags);
    }
}
