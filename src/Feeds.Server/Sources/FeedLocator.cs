using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Server.Sources;

/// <summary>A feed found for a URL someone wants to follow, with the fetch that read it (its body already given back).</summary>
/// <param name="SiteUrl">The site the feed names, else the page it was discovered on.</param>
public sealed record LocatedFeed(Uri FeedUrl, Uri? SiteUrl, FetchResult Fetch, ParsedFeed Feed);

/// <summary>
/// Finds the feed behind a URL a person typed: the URL itself when it is a feed, else the first readable feed the
/// page advertises with <c>&lt;link rel="alternate"&gt;</c>.
/// </summary>
public sealed class FeedLocator(SourceFetcher fetcher)
{
    /// <summary>How many advertised feeds are tried before giving up.</summary>
    public const int MaxCandidates = 3;

    /// <returns>The feed, or a sentence for the person saying why there is none.</returns>
    public async Task<(LocatedFeed? Feed, string? Problem)> LocateAsync(Uri url, CancellationToken cancellationToken)
    {
        using var fetched = await fetcher.FetchAsync(url, etag: null, lastModified: null, cancellationToken);
        if (fetched.Outcome != FetchOutcome.Modified)
        {
            return (null, $"The URL could not be fetched: {fetched.Error?.Description}");
        }

        string readProblem;
        try
        {
            return (new LocatedFeed(fetched.PermanentUrl, null, fetched with { Body = null }, Parse(fetched)), null);
        }
        catch (FeedParseException e)
        {
            readProblem = e.Message;
        }

        var candidates = FeedDiscovery.Find(Encoding.UTF8.GetString(fetched.Body!.Span), fetched.FinalUrl);
        if (candidates.Count == 0)
        {
            return (null, $"The URL is not a feed this server can read ({readProblem.TrimEnd('.')}), and it advertises no feed with <link rel=\"alternate\">.");
        }

        var problems = new List<string>();
        foreach (var candidate in candidates.Take(MaxCandidates))
        {
            using var feedFetch = await fetcher.FetchAsync(candidate, etag: null, lastModified: null, cancellationToken);
            if (feedFetch.Outcome != FetchOutcome.Modified)
            {
                problems.Add($"{candidate} could not be fetched: {feedFetch.Error?.Description}");
                continue;
            }

            try
            {
                var feed = Parse(feedFetch);
                return (new LocatedFeed(feedFetch.PermanentUrl, feed.SiteUrl ?? fetched.FinalUrl, feedFetch with { Body = null }, feed), null);
            }
            catch (FeedParseException e)
            {
                problems.Add($"{candidate} could not be read: {e.Message}");
            }
        }

        return (null, $"The page advertises feeds, but none could be used: {string.Join(" ", problems)}");
    }

    private static ParsedFeed Parse(FetchResult fetched) => FeedParser.Parse(fetched.Body!.Memory, fetched.FinalUrl, fetched.ContentType);
}
