using Feeds.Core.Search;
using Feeds.Core.Syndication;
using Feeds.Data.Search;
using Feeds.Server.Http;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Search;

/// <summary>
/// The feeds of searches (<c>/search.atom?q=</c>): the newest published posts a query finds, written by the writers of
/// every other feed. Each document is kept in memory, precompressed with its validators, under the content version
/// every post write bumps, so a change is seen at once and a reader polling a search costs a look-up.
/// </summary>
public sealed class SearchFeeds(
    SearchIndex index,
    FeedComposer composer,
    ApiCaching.ContentVersion contentVersion,
    IOptions<PublishingOptions> options,
    TimeProvider clock) : IDisposable
{
    /// <summary>Documents kept at most; searches are as many as readers care to write, and the rarely asked ones go first.</summary>
    public const int MaxDocuments = 1_000;

    // Other nodes' writes do not bump this node's content version: a document is kept no longer than this.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = MaxDocuments });

    /// <summary>The document of <paramref name="query"/>'s feed in one format, from <paramref name="after"/> on (null: the newest).</summary>
    /// <param name="baseUrl">The site's address as the reader asked for it, for the self link.</param>
    public async Task<RenderedFeed> GetAsync(SearchQuery query, IFeedWriter writer, SearchCursor? after, string baseUrl, CancellationToken cancellationToken)
    {
        // Read before the posts are: a write committed meanwhile makes a key no one asks for again, never a stale hit.
        var version = contentVersion.Current;
        var text = query.ToString();
        var first = FeedUrls.Search(baseUrl, text, writer);
        var self = after is null ? first : $"{first}&after={after.Encode()}";
        var key = version + " " + self;
        if (_documents.TryGetValue(key, out RenderedFeed? kept) && kept is not null)
        {
            return kept;
        }

        var page = await index.SearchAsync(new SearchRequest(query, Author: false, options.Value.EntriesPerFeed, after, NewestFirst: true), cancellationToken);
        var document = composer.ComposeSearchDocument(text, composer.ComposeEntries(page.Posts), new FeedPage
        {
            SelfUrl = self,
            FirstUrl = after is null ? null : first,
            NextUrl = page.Next is { } next ? $"{first}&after={next.Encode()}" : null,
        }, EmptyFeedUpdated);
        var feed = RenderedFeed.Create("search:" + text, writer, writer.WriteToArray(document), clock.GetUtcNow(), page.Posts.Count);
        _documents.Set(key, feed, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return feed;
    }

    public void Dispose() => _documents.Dispose();

    // A search that finds nothing is as old as the site's ids, so its bytes (and its ETag) stay the same from poll to poll.
    private DateTimeOffset EmptyFeedUpdated => new(composer.Site.IdDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
