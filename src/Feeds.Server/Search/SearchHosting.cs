using Feeds.Data;
using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Search;

public static class SearchHosting
{
    /// <summary>
    /// The search index of the database's engine, kept in step by a post change hook, and a start-up step that indexes
    /// every post not indexed yet (all of them, the first time a site starts with search); the feeds of searches.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => SearchIndex.For(
            sp.GetRequiredService<Database>(), sp.GetRequiredService<PostQueries>(), sp.GetRequiredService<IOptions<SearchOptions>>().Value.RankLimit));
        builder.Services.AddSingleton<IPostChangeHook, SearchIndexHook>();
        builder.Services.AddSingleton<SearchFeeds>();
        builder.AddStartupStep("search index", (services, cancellationToken) =>
            services.GetRequiredService<SearchIndex>().FillAsync(cancellationToken));
        return builder;
    }
}
