using System.ComponentModel.DataAnnotations;
using Feeds.Data.Search;
using Feeds.Server.Hosting;

namespace Feeds.Server.Search;

/// <summary>Search: section <c>Feeds:Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = FeedsOptions.Section + ":Search";

    /// <summary>
    /// How many of the most recently added matches a search by words alone ranks, when its words match more posts than
    /// that (see <see cref="SearchIndex"/>); a tag, site or date in the search always ranks every match.
    /// </summary>
    [Range(1, 10_000_000)]
    public int RankLimit { get; set; } = SearchIndex.DefaultRankLimit;
}
