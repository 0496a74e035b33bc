using System.Diagnostics;
using Dapper;
using Feeds.Contracts.Text;
using Feeds.Core.Posts;
using Feeds.Core.Text;
using Feeds.Data.Feeds;
using Feeds.Data.Migrations;
using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Data.Tags;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Feeds.Server.Tests.Data;

/// <summary>
/// PostgreSQL's writers run side by side, unlike SQLite's one queue: what two of them share is settled by the database,
/// and a write that loses a race runs again and takes the path its rival's commit opened.
/// </summary>
public sealed class PostgresDatabaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Concurrent_creates_with_the_same_title_all_commit_under_slugs_of_their_own()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var posts = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), new FakeTimeProvider(Now));
        var content = new PostContent("https://example.com/same", "The same title", "", [new Tag("shared", "shared")], null, PostStatus.Published, null);

        var created = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => posts.CreateAsync(content, null, default))));

        Assert.Equal(24, created.Select(c => c.Post!.Slug).Distinct().Count());
        await using var connection = await database.OpenAsync(default);
        Assert.Equal(24, await connection.ExecuteScalarAsync<long>("select count(*) from posts"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from tags"));
    }

    [Fact]
    public async Task A_create_whose_tags_are_stored_or_without_tags_takes_two_round_trips_and_one_with_a_new_tag_three()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        // With a hook that writes, as the service always has: the commit then goes with the statements it queued.
        var index = new SearchIndexHook(SearchIndex.For(database, new PostQueries(database)));
        var posts = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, [index]), new FakeTimeProvider(Now));
        await posts.CreateAsync(Content("first", "Known", "Stored"), null, default);

        // Npgsql traces each time it sends statements and reads their results: once per round trip. Tests running
        // beside this one use databases of their own.
        var name = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString).Database;
        var sent = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.namespace"), name))
                {
                    Interlocked.Increment(ref sent);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var known = await posts.CreateAsync(Content("second", "Known", "Stored"), null, default);
        var withKnown = Interlocked.Exchange(ref sent, 0);
        await posts.CreateAsync(Content("third"), null, default);
        var withoutTags = Interlocked.Exchange(ref sent, 0);
        var withNew = await posts.CreateAsync(Content("fourth", "Known", "Brand new"), null, default);

        Assert.True(withKnown == 2, $"a create with stored tags took {withKnown} round trips");
        Assert.True(withoutTags == 2, $"a create without tags took {withoutTags} round trips");
        Assert.Equal(3, sent);
        Assert.Equal(["known", "stored"], known.Post!.Tags.Select(t => t.Slug));
        Assert.Equal(["known", "brand-new"], withNew.Post!.Tags.Select(t => t.Slug));
        var stored = await new PostQueries(database).GetAsync(withNew.Post.Id, default);
        Assert.Equal(["Known", "Brand new"], stored!.Tags.Select(t => t.Name));
    }

    [Fact]
    public async Task A_tag_rename_begun_between_a_creates_look_up_and_its_commit_waits_and_then_moves_its_link()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var clock = new FakeTimeProvider(Now);
        var hooks = new PostChangeHooks(database, []);
        var posts = new PostStore(database, new CommentaryRenderer(), hooks, clock);
        var tags = new TagStore(database, hooks, clock);
        await posts.CreateAsync(Content("first", "Old name"), null, default);
        var content = Content("second", "Old name");
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var linked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = 0;
        var creating = Task.Run(() => posts.WriteAsync(async writer =>
        {
            attempts++;
            var (slug, _) = await writer.Inserter.FindSlugAndLinkAsync(content, default);
            found.TrySetResult();
            await linked.Task;
            return await writer.CreateAsync(content, sourceId: null, at: null, default, slug: slug);
        }, default));
        await found.Task;
        var renaming = Task.Run(() => tags.RenameAsync("old-name", new Tag("new-name", "New name"), default));

        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await WaitingForTheTagsAsync(database) == 1), "the rename did not wait for the create");
        Assert.False(renaming.IsCompleted);
        linked.SetResult();
        var created = await creating;
        var (result, _) = await renaming;

        Assert.Equal(1, attempts);
        Assert.Equal(TagRenameResult.Renamed, result);
        Assert.Equal([new Tag("old-name", "Old name")], created.Tags);
        var stored = await new PostQueries(database).GetAsync(created.Id, default);
        Assert.Equal([new Tag("new-name", "New name")], stored!.Tags);
        await using var connection = await database.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from post_tags where tag_slug = 'old-name'"));
    }

    [Fact]
    public async Task Writes_of_posts_wait_while_a_rename_holds_the_tags()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var posts = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), new FakeTimeProvider(Now));
        var first = (await posts.CreateAsync(Content("first", "Held"), null, default)).Post!;
        // What a rename takes first, held by a transaction of the test's own.
        await using var holder = (NpgsqlConnection)await database.OpenAsync(default);
        await using var holding = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync(database.Dialect.HoldTagsAloneSql!, transaction: holding);

        var creating = Task.Run(() => posts.CreateAsync(Content("second", "Held"), null, default));
        var deleting = Task.Run(() => posts.DeleteAsync(first.Id, default));

        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await WaitingForTheTagsAsync(database) == 2), "the writes did not wait for the rename");
        Assert.False(creating.IsCompleted || deleting.IsCompleted);
        await holding.CommitAsync();
        Assert.Equal(["held"], (await creating).Post!.Tags.Select(t => t.Slug));
        Assert.True(await deleting);
    }

    /// <summary>How many of the database's sessions wait for the tags (<see cref="Feeds.Data.SqlDialect.ShareTagsSql"/>).</summary>
    private static async Task<long> WaitingForTheTagsAsync(Feeds.Data.Database database)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(
            """
            select count(*) from pg_locks
            where locktype = 'relation' and relation = 'tags'::regclass and not granted
              and database = (select oid from pg_database where datname = current_database())
            """);
    }

    private static PostContent Content(string title, params string[] tags) =>
        new($"https://example.com/{title}", title, "", [.. tags.Select(t => new Tag(Slugs.ForTag(t), t))], null, PostStatus.Published, null);

    [Fact]
    public async Task Concurrent_creates_with_one_idempotency_key_store_one_post_and_replay_it_to_the_rest()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var posts = new PostStore(database, new CommentaryRenderer(), new PostChangeHooks(database, []), new FakeTimeProvider(Now));
        var content = new PostContent("https://example.com/once", "Once", "", [], null, PostStatus.Published, null);
        var key = new IdempotencyKey("one-key", "same-request");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => posts.CreateAsync(content, key, default))));

        Assert.Single(outcomes, o => o.Kind == CreateOutcomeKind.Created);
        Assert.Single(outcomes.Select(o => o.Post!.Id).Distinct());
    }

    [Fact]
    public async Task Concurrent_marks_of_one_feed_are_all_kept()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var feeds = new FeedStore(database);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => feeds.MarkDirtyAsync(["everything", "tag:a"], default))));

        Assert.Equal([("everything", 40), ("tag:a", 40)], (await feeds.ListDirtyAsync(default)).Select(d => (d.FeedKey, d.Marks.Count)));
    }

    [Fact]
    public async Task Statements_queued_for_later_run_before_the_next_statement_and_with_the_commit()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);

        var seen = await database.WriteAsync(async (_, transaction) =>
        {
            await database.ExecuteLaterAsync(transaction, InsertTag, default, ("@Slug", "a"), ("@Name", "A"), ("@Now", Now));
            var count = await database.Prepared(transaction, "select count(*) from tags").ExecuteScalarAsync(default);
            await database.ExecuteLaterAsync(transaction, InsertTag, default, ("@Slug", "b"), ("@Name", "B"), ("@Now", Now));
            return count;
        }, default);
        var after = await database.WriteAsync(
            async (connection, transaction) => await connection.QueryAsync<string>(new CommandDefinition("select slug from tags order by slug", transaction: transaction)),
            default);

        Assert.Equal(1L, seen);
        Assert.Equal(["a", "b"], after);
    }

    [Fact]
    public async Task A_queued_statement_that_fails_takes_the_whole_write_back()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<PostgresException>(() => database.WriteAsync(async (_, transaction) =>
        {
            await database.ExecuteLaterAsync(transaction, InsertTag, default, ("@Slug", "a"), ("@Name", "A"), ("@Now", Now));
            await database.ExecuteLaterAsync(transaction, InsertTag, default, ("@Slug", "b"), ("@Name", null), ("@Now", Now));
        }, default));

        await using var connection = await database.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from tags"));
    }

    [Fact]
    public async Task A_writes_statements_run_on_generic_plans_and_its_connection_goes_back_as_it_was()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);

        var inWrite = await database.WriteAsync(
            async (_, transaction) => await database.Prepared(transaction, "show plan_cache_mode").ExecuteScalarAsync(default), default);

        await using var connection = await database.OpenAsync(default);
        Assert.Equal("force_generic_plan", inWrite);
        Assert.Equal("auto", await connection.ExecuteScalarAsync<string>("show plan_cache_mode"));
    }

    private const string InsertTag = "insert into tags (slug, name, created_at) values (@Slug, @Name, @Now)";

    [Fact]
    public async Task Nodes_starting_together_migrate_the_database_once()
    {
        using var first = await TestDatabase.CreatePostgresAsync();
        using var second = new Feeds.Data.Postgres.PostgresDatabase(first.DataSource.ConnectionString);
        using var third = new Feeds.Data.Postgres.PostgresDatabase(first.DataSource.ConnectionString);

        await Task.WhenAll(first.InitializeAsync(default), second.InitializeAsync(default), third.InitializeAsync(default));

        await using var connection = await first.OpenAsync(default);
        Assert.Equal(
            PostgresMigrations.All.Select(m => (long)m.Version),
            await connection.QueryAsync<long>("select version from schema_migrations order by version"));
    }

    [Fact]
    public async Task Rendered_documents_are_compressed_with_lz4_and_their_compressed_copies_not_at_all()
    {
        using var database = await TestDatabase.CreatePostgresAsync();
        await database.InitializeAsync(TestContext.Current.CancellationToken);

        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        var columns = (await connection.QueryAsync<(string Name, string Compression, string Storage)>("""
            select attname::text, attcompression::text, attstorage::text from pg_attribute
            where attrelid = 'feed_documents'::regclass and attname in ('body', 'body_gzip', 'body_brotli') order by attname
            """)).ToList();
        // Debian's PostgreSQL, which the tests run, is built with LZ4; no compression method reads back as "".
        Assert.Equal([("body", "l", "x"), ("body_brotli", "", "e"), ("body_gzip", "", "e")], columns);
    }
}
