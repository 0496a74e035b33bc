using System.Net;
using System.Net.Http.Json;
using Dapper;
using Feeds.Server.Data;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Publishing;
using Feeds.Server.Tests.Sources;
using Feeds.Server.Tests.Webhooks;

namespace Feeds.Server.Tests.Data;

/// <summary>
/// <c>copy-from-sqlite</c> moves a site from its SQLite file into an empty PostgreSQL database, and the site served from
/// PostgreSQL is the same site: the same posts under the same ids and slugs, the same feed entries, sources, webhook
/// endpoints and tokens.
/// </summary>
public sealed class SqliteToPostgresCopyTests
{
    private static readonly DateTimeOffset Upstream = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Compared = ["/api/posts?status=any&limit=100", "/api/tags", "/api/sources", "/api/webhooks", "/api/tokens"];

    [Fact]
    public async Task A_copied_site_serves_the_same_posts_feeds_sources_webhooks_and_tokens_from_postgres()
    {
        await using var upstream = await Sources.Upstream.StartAsync();
        upstream.Feed("blog.xml", TestFeeds.Rss("Blog", "https://blog.example/", TestFeeds.Recent("blog", 2, Upstream)));
        var dataDirectory = TempDirectory.Create();
        var before = new Dictionary<string, string>();
        string token;
        string atom;
        int port;
        using (var server = new FeedsServer(dataDirectory, Settings(("Feeds:Database:Provider", "Sqlite"))))
        {
            port = server.Address.Port;
            using var author = server.CreateAuthorizedClient();
            await author.PublishAsync("Copied as it is", "python", "web");
            await author.PublishAsync("Copied as it is", "python");
            (await author.PostAsJsonAsync("/api/posts", new { url = "https://example.com/draft", title = "A draft", status = "draft" })).EnsureSuccessStatusCode();
            (await author.PostAsJsonAsync("/api/posts", new { url = "https://example.com/later", title = "Later", publishAt = "2099-01-01T00:00:00Z" })).EnsureSuccessStatusCode();
            await author.FollowAsync(new { url = upstream.Url("blog.xml"), tags = new[] { "found" } });
            await author.SubscribeAsync("http://127.0.0.1:9/hooks", tags: ["python"]);
            token = (await (await author.PostAsJsonAsync("/api/tokens", new { name = "laptop" })).ReadJsonAsync()).GetProperty("token").GetString()!;
            // The feed compared is the one that holds both posts: an earlier document still waits for a render, which
            // the copy would carry over as a dirty feed and render anew.
            await server.CreateClient().WaitForTitleAsync("/everything.atom", "copied-as-it-is-2", TimeSpan.FromSeconds(30));
            foreach (var path in Compared)
            {
                before[path] = await author.GetStringAsync(path);
            }

            atom = await server.CreateClient().GetStringAsync("/everything.atom");
        }

        using var target = await TestDatabase.CreatePostgresAsync();
        var output = new StringWriter();
        var exitCode = await CopyFromSqliteCommand.RunAsync(
            [Path.Combine(dataDirectory, "feeds.db"), "--Feeds:Database:Provider", "Postgres", "--Feeds:Database:ConnectionString", target.DataSource.ConnectionString],
            output,
            output);
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("posts: 4 rows", output.ToString(), StringComparison.Ordinal);

        // The drafts counted per source come over as they were: copying the posts does not count them again.
        using (var source = Feeds.Data.Database.Create(Feeds.Data.DatabaseProvider.Sqlite, Path.Combine(dataDirectory, "feeds.db")))
        {
            Assert.Equal(await DraftCountsAsync(source), await DraftCountsAsync(target));
        }

        using var copied = new FeedsServer(
            dataDirectory, Settings(("Feeds:Database:Provider", "Postgres"), ("Feeds:Database:ConnectionString", target.DataSource.ConnectionString)), port);
        using var copiedAuthor = copied.CreateAuthorizedClient();
        foreach (var path in Compared)
        {
            var after = await copiedAuthor.GetStringAsync(path);
            Assert.True(before[path] == after, $"{path} differs after the copy:\nfrom SQLite: {before[path]}\nfrom PostgreSQL: {after}");
        }

        Assert.Equal(atom, await copied.CreateClient().GetStringAsync("/everything.atom"));
        Assert.Equal(HttpStatusCode.OK, (await copied.CreateAuthorizedClient(token).GetAsync("/api/tokens")).StatusCode);

        // What comes after continues from what was copied: slugs and source ids are not handed out again.
        var next = await copiedAuthor.CreateAsync(new { url = "https://example.com/third", title = "Copied as it is", tags = new[] { "python" } });
        Assert.Equal("copied-as-it-is-3", next.GetProperty("slug").GetString());
        upstream.Feed("other.xml", TestFeeds.Rss("Other", "https://other.example/", TestFeeds.Recent("other", 1, Upstream)));
        Assert.Equal(2, (await copiedAuthor.FollowAsync(new { url = upstream.Url("other.xml") })).Id());
    }

    private static async Task<List<(long Source, long Drafts)>> DraftCountsAsync(Feeds.Data.Database database)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        return (await connection.QueryAsync<(long, long)>("select source_key, drafts from draft_counts where drafts <> 0 order by source_key")).AsList();
    }

    [Fact]
    public async Task A_copy_into_a_database_that_holds_a_site_is_refused_and_changes_nothing()
    {
        var dataDirectory = TempDirectory.Create();
        using (var server = new FeedsServer(dataDirectory, new Dictionary<string, string?> { ["Feeds:Database:Provider"] = "Sqlite" }))
        {
            await server.CreateAuthorizedClient().PublishAsync("From SQLite");
        }

        using var target = await TestDatabase.CreatePostgresAsync();
        await target.InitializeAsync(default);
        await target.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "insert into api_tokens (id, name, token_hash, created_at) values ('t', 'kept', 'h', '2026-01-01T00:00:00.0000000Z')", transaction: transaction), default);
        var errors = new StringWriter();

        var exitCode = await CopyFromSqliteCommand.RunAsync(
            [Path.Combine(dataDirectory, "feeds.db"), "--Feeds:Database:Provider", "Postgres", "--Feeds:Database:ConnectionString", target.DataSource.ConnectionString],
            TextWriter.Null,
            errors);

        Assert.Equal(1, exitCode);
        Assert.Contains("api_tokens", errors.ToString(), StringComparison.Ordinal);
        await using var connection = await target.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from posts"));
        Assert.Equal(["kept"], await connection.QueryAsync<string>("select name from api_tokens"));
    }

    [Fact]
    public async Task The_copy_needs_a_postgres_database_to_copy_into()
    {
        var errors = new StringWriter();

        var exitCode = await CopyFromSqliteCommand.RunAsync([Path.Combine(TempDirectory.Create(), "feeds.db")], TextWriter.Null, errors);

        Assert.Equal(2, exitCode);
        Assert.Contains("Feeds:Database:ConnectionString", errors.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] database)
    {
        var settings = Webhooks.Webhooks.FastSettings();
        foreach (var (key, value) in SourceTesting.Settings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in database)
        {
            settings[key] = value;
        }

        return settings;
    }
}
