using Feeds.Server.ActivityPub;
using Feeds.Server.Auth;
using Feeds.Server.Data;
using Feeds.Server.Desk;
using Feeds.Server.Hosting;
using Feeds.Server.Http;
using Feeds.Server.Pages;
using Feeds.Server.Posts;
using Feeds.Server.Publishing;
using Feeds.Server.Search;
using Feeds.Server.Sitemaps;
using Feeds.Server.Sources;
using Feeds.Server.Tags;
using Feeds.Server.Tokens;
using Feeds.Server.Webhooks;
using Feeds.Server.WebSub;

// A one-off command instead of the service: moving a SQLite database into PostgreSQL.
if (args is [CopyFromSqliteCommand.Name, .. var copyArguments])
{
    return await CopyFromSqliteCommand.RunAsync(copyArguments, Console.Out, Console.Error);
}

// Settings files ship beside the binary; relative paths such as Feeds:DataDirectory resolve against the
// directory the service is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = FeedsHosting.WithoutOwnSwitches(args, out var switches),
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddInMemoryCollection(switches);

// Each feature adds its services and its start-up steps; steps run in this order, before the first request: the
// database is migrated, the admin token read or generated, samples seeded and schedules restored, feeds prepared, and only
// then does the scheduler start.
builder.AddFeedsOptions();
builder.AddFeedsProblemDetails();
builder.AddFeedsData();
builder.AddFeedsAuthentication();
builder.AddFeedsApiCaching();
builder.AddFeedsPosts();
builder.AddFeedsSearch();
builder.AddFeedsTags();
builder.AddFeedsPublishing();
builder.AddFeedsActivityPub();
builder.AddFeedsScheduler();
builder.AddFeedsWebhooks();
builder.AddFeedsWebSub();
builder.AddFeedsSources();
builder.AddFeedsDesk();
builder.AddFeedsOpenApi();
builder.AddFeedsPages();
builder.AddFeedsSitemaps();

var app = builder.Build();

// Problems first, so that failures of every endpoint are answered as problems, including the feed endpoints, which
// short-circuit in routing and skip what comes after it.
app.UseFeedsProblemDetails();
app.UseForwardedHeaders();
app.UseFeedsSiteHosts();
app.UseRouting();
app.UseFeedsPages();
app.UseFeedsDesk();
app.UseFeedsAuthentication();
app.UseOutputCache();

app.MapOpenApi();
app.MapFeedsHealthChecks();
app.MapPostsApi();
app.MapTagsApi();
app.MapTokensApi();
app.MapFeeds();
app.MapPages();
app.MapSearchPages();
app.MapSearchFeeds();
app.MapReaderPages();
app.MapSitemaps();
app.MapWebhooksApi();
app.MapWebSub();
app.MapFeedsActivityPub();
app.MapSources();
app.MapDesk();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
