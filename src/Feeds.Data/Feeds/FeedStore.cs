using System.Data;
using Dapper;

namespace Feeds.Data.Feeds;

/// <summary>One rendered feed document: its bytes in every encoding it is served in, and its validators.</summary>
public sealed record StoredFeed(
    string FeedKey,
    string Format,
    byte[] Body,
    byte[] BodyGzip,
    byte[] BodyBrotli,
    string ETag,
    DateTimeOffset LastModified,
    long EntryCount);

/// <summary>
/// A feed marked for regeneration, and which mark: every mark of a feed counts up, so a mark made after a render read
/// this one keeps the feed dirty, even when both were made at the same instant.
/// </summary>
public sealed record DirtyFeed(string FeedKey, long Mark);

/// <summary>Rendered feeds and the set of feeds that need rendering again.</summary>
public sealed class FeedStore(Database database, TimeProvider clock, IEnumerable<IFeedSavedHook>? hooks = null)
{
    private readonly IFeedSavedHook[] _hooks = [.. hooks ?? []];

    private const string MarkDirtySql = """
        insert into dirty_feeds (feed_key, marked_at, mark) values (@Key, @MarkedAt, 0)
        on conflict (feed_key) do update set marked_at = excluded.marked_at, mark = dirty_feeds.mark + 1
        """;

    /// <summary>
    /// Marks feeds dirty inside the caller's write, so the mark commits with the change that caused it. In key order: two
    /// concurrent writers (PostgreSQL) then lock the rows they share in the same order and never deadlock on them.
    /// </summary>
    public async Task MarkDirtyAsync(IDbTransaction transaction, IEnumerable<string> feedKeys, CancellationToken cancellationToken)
    {
        var markedAt = clock.GetUtcNow();
        foreach (var key in feedKeys.Order(StringComparer.Ordinal))
        {
            await database.Prepared(transaction, MarkDirtySql, ("@Key", key), ("@MarkedAt", markedAt)).ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task MarkDirtyAsync(IEnumerable<string> feedKeys, CancellationToken cancellationToken) =>
        database.WriteAsync((_, transaction) => MarkDirtyAsync(transaction, feedKeys, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<DirtyFeed>> ListDirtyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<DirtyFeed>(new CommandDefinition(
            "select feed_key as FeedKey, mark as Mark from dirty_feeds order by feed_key", cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Stores rendered documents and clears the marks they answer, in one transaction: readers see old or new, never
    /// half. The hooks record what follows from the new documents in the same transaction.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<StoredFeed> documents, IReadOnlyList<DirtyFeed> answered, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var document in documents)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    insert into feed_documents (feed_key, format, body, body_gzip, body_brotli, etag, last_modified, entry_count)
                    values (@FeedKey, @Format, @Body, @BodyGzip, @BodyBrotli, @ETag, @LastModified, @EntryCount)
                    on conflict (feed_key, format) do update set
                        body = excluded.body, body_gzip = excluded.body_gzip, body_brotli = excluded.body_brotli,
                        etag = excluded.etag, last_modified = excluded.last_modified, entry_count = excluded.entry_count
                    """,
                    document,
                    transaction,
                    cancellationToken: cancellationToken));
            }

            foreach (var mark in answered)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "delete from dirty_feeds where feed_key = @FeedKey and mark = @Mark",
                    mark,
                    transaction,
                    cancellationToken: cancellationToken));
            }

            if (documents.Count > 0)
            {
                foreach (var hook in _hooks)
                {
                    await hook.OnSavedAsync(documents, connection, transaction, cancellationToken);
                }
            }
        }, cancellationToken);

        if (documents.Count > 0)
        {
            foreach (var hook in _hooks)
            {
                hook.AfterCommit(documents);
            }
        }
    }

    /// <summary>Forgets a feed that can no longer exist (its tag was renamed away).</summary>
    public Task DeleteAsync(string feedKey, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "delete from feed_documents where feed_key = @feedKey", new { feedKey }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<StoredFeed?> LoadAsync(string feedKey, string format, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredFeed>(new CommandDefinition(
            """
            select feed_key as FeedKey, format as Format, body as Body, body_gzip as BodyGzip, body_brotli as BodyBrotli,
                   etag as ETag, last_modified as LastModified, entry_count as EntryCount
            from feed_documents
            where feed_key = @feedKey and format = @format
            """,
            new { feedKey, format },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A stored document with the body of one content coding only (<c>null</c> for none, <c>gzip</c>, <c>br</c>); the
    /// others come back empty. A reader asking for a document that is not in memory costs one body read, not three.
    /// </summary>
    public async Task<StoredFeed?> LoadAsync(string feedKey, string format, string? coding, CancellationToken cancellationToken)
    {
        var column = coding switch
        {
            null => "body",
            "gzip" => "body_gzip",
            "br" => "body_brotli",
            _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "not a content coding of stored feeds"),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<OneCodingRow>(new CommandDefinition(
            $"select {column} as Bytes, etag as ETag, last_modified as LastModified, entry_count as EntryCount from feed_documents where feed_key = @feedKey and format = @format",
            new { feedKey, format },
            cancellationToken: cancellationToken));
        if (found is null)
        {
            return null;
        }

        return new StoredFeed(
            feedKey, format, coding is null ? found.Bytes : [], coding == "gzip" ? found.Bytes : [], coding == "br" ? found.Bytes : [],
            found.ETag, found.LastModified, found.EntryCount);
    }

    /// <summary>The ETag of the stored document, which is the current one once its render committed; null when there is none.</summary>
    public async Task<string?> GetETagAsync(string feedKey, string format, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select etag from feed_documents where feed_key = @feedKey and format = @format", new { feedKey, format }, cancellationToken: cancellationToken));
    }

    /// <summary>What the stored documents were rendered with, to tell when a settings change makes them stale.</summary>
    public async Task<string?> GetRenderedWithAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select value from feed_settings where name = 'rendered_with'", cancellationToken: cancellationToken));
    }

    /// <summary>Records the new rendering settings and marks <paramref name="feedKeys"/> dirty, in one transaction.</summary>
    public Task ResetRenderedWithAsync(string value, IEnumerable<string> feedKeys, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into feed_settings (name, value) values ('rendered_with', @value)
                on conflict (name) do update set value = excluded.value
                """,
                new { value },
                transaction,
                cancellationToken: cancellationToken));
            await MarkDirtyAsync(transaction, feedKeys, cancellationToken);
        }, cancellationToken);

    /// <summary>Every stored feed key: the firehose, the tags and the combinations readers have asked for.</summary>
    public async Task<IReadOnlyList<string>> ListKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "select distinct feed_key from feed_documents", cancellationToken: cancellationToken))];
    }

    private sealed class OneCodingRow
    {
        public byte[] Bytes { get; init; } = [];
        public string ETag { get; init; } = "";
        public DateTimeOffset LastModified { get; init; }
        public long EntryCount { get; init; }
    }
}
