using Feeds.Core.Search;

namespace Feeds.Data.Search;

/// <summary>
/// One page of a search. Readers see published posts only; the author sees every status (<c>is:draft</c> narrows it to
/// drafts), and a reader's <c>is:draft</c> finds nothing. Results come best match first, or with
/// <paramref name="NewestFirst"/> newest first, as a feed lists them: a subscribed search shows each new match on top.
/// </summary>
public sealed record SearchRequest(SearchQuery Query, bool Author, int Limit = 50, SearchCursor? After = null, bool NewestFirst = false)
{
    public const int MaxLimit = 200;
}
