using Dapper;
using Feeds.Data.Migrations;
using Feeds.Data.Sqlite;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Data;

/// <summary>
/// Migration 24 gives each existing link of a post to a tag its post's publication time: the sort time of a published,
/// live post, and nothing for a draft, a scheduled post or a deleted one.
/// </summary>
public sealed class TagIndexMigrationTests
{
    [Fact]
    public async Task The_links_of_a_site_stored_before_carry_the_publication_of_their_posts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var database = await TestDatabase.CreateAsync();
        var migrations = database is SqliteDatabase ? SqliteMigrations.All : PostgresMigrations.All;
        await database.WriteAsync((connection, transaction) => MigrationRunner.ApplyAsync([.. migrations.Where(m => m.Version < 24)], connection, transaction, cancellationToken), cancellationToken);
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            insert into tags (slug, name, created_at) values ('wal', 'WAL', '2026-01-01T00:00:00.0000000Z');
            insert into posts (id, slug, link_url, link_title, commentary_md, commentary_html, status, published_at, sort_at, created_at, updated_at, deleted_at)
            values ('00000000-0000-0000-0000-000000000001', 'published', 'https://example.com/1', 'Published', '', '', 'published',
                    '2026-01-02T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', null),
                   ('00000000-0000-0000-0000-000000000002', 'draft', 'https://example.com/2', 'Draft', '', '', 'draft',
                    null, '2026-01-03T00:00:00.0000000Z', '2026-01-03T00:00:00.0000000Z', '2026-01-03T00:00:00.0000000Z', null),
                   ('00000000-0000-0000-0000-000000000003', 'deleted', 'https://example.com/3', 'Deleted', '', '', 'published',
                    '2026-01-04T00:00:00.0000000Z', '2026-01-04T00:00:00.0000000Z', '2026-01-04T00:00:00.0000000Z', '2026-01-05T00:00:00.0000000Z', '2026-01-05T00:00:00.0000000Z');
            insert into post_tags (post_id, tag_slug, position) values
                ('00000000-0000-0000-0000-000000000001', 'wal', 0),
                ('00000000-0000-0000-0000-000000000002', 'wal', 0),
                ('00000000-0000-0000-0000-000000000003', 'wal', 0);
            """,
            transaction: transaction,
            cancellationToken: cancellationToken)), cancellationToken);

        await database.InitializeAsync(cancellationToken);

        await using var read = await database.OpenAsync(cancellationToken);
        var links = await read.QueryAsync<(string PostId, string? PublishedAt)>("select post_id, published_at from post_tags order by post_id");
        Assert.Equal(
            [
                ("00000000-0000-0000-0000-000000000001", "2026-01-02T00:00:00.0000000Z"),
                ("00000000-0000-0000-0000-000000000002", null),
                ("00000000-0000-0000-0000-000000000003", null),
            ],
            links);
    }
}
