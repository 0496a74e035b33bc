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
/// A feed marked for regeneration, and the marks a render read: it clears exactly those, so a mark made after the
/// render read the posts keeps the feed dirty for the next one.
/// </summary>
public sealed record DirtyFeed(string FeedKey, IReadOnlyList<long> Marks);

/// <summary>Rendered feeds and the set of feeds that need rendering again.</summary>
/// <remarks>
/// A mark is a row of its own, only ever inserted by the change that makes it: concurrent writers (PostgreSQL) touching
/// the same feed share no row and never wait for each other's commit. A render takes the marks before it reads the posts
/// and deletes those marks by id, never by key or by a range: a mark with a lower id may commit later (ids are handed out
/// at insert, not at commit), and it must outlive a render that could not see its change.
/// </remarks>
public sealed class FeedStore(Database database, IEnumerable<IFeedSavedHook>? hooks = null)
{
    private readonly IFeedSavedHook[] _hooks = [.. hooks ?? []];

    /// <summary>
    /// The notification channel on which every write of a feed's documents names the feed, at commit (PostgreSQL), so
    /// that every node serves the new documents at once. Each payload is the writing process's <see cref="Origin"/>, a
    /// space and the feed's key (<see cref="ChangedFeed"/>).
    /// </summary>
    public const string ChangesChannel = "feed_documents";

    /// <summary>
    /// This process's name in the notifications it sends. The process that rendered a feed holds the new documents
    /// already; without it, it read each back from the database on hearing its own notification, a third of a
    /// megabyte a feed.
    /// </summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The feed a notification on <see cref="ChangesChannel"/> names, or null when this process sent it.</summary>
    public string? ChangedFeed(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? payload : payload.AsSpan(0, space).SequenceEqual(Origin) ? null : payload[(space + 1)..];
    }

    private const string MarkSql = "insert into feed_marks (feed_key) values (@Key)";

    private const string MarkEachSql = "insert into feed_marks (feed_key) select unnest(@Keys)";

    /// <summary>The most ids one delete names, within SQLite's limit on parameters.</summary>
    private const int MarksPerDelete = 500;

    /// <summary>Marks feeds dirty inside the caller's write, so the mark commits with the change that caused it.</summary>
    public async Task MarkDirtyAsync(IDbTransaction transaction, IEnumerable<string> feedKeys, CancellationToken cancellationToken)
    {
        if (database.Dialect.BindsArrays)
        {
            // One statement for all of a change's feeds, where SQLite runs its prepared statement once per feed in-process;
            // it goes to the server with the write's next statement or its commit.
            await database.ExecuteLaterAsync(transaction, MarkEachSql, cancellationToken, ("@Keys", feedKeys.ToArray()));
            return;
        }

        foreach (var key in feedKeys)
        {
            await database.ExecuteLaterAsync(transaction, MarkSql, cancellationToken, ("@Key", key));
        }
    }

    public Task MarkDirtyAsync(IEnumerable<string> feedKeys, CancellationToken cancellationToken) =>
        database.WriteAsync((_, transaction) => MarkDirtyAsync(transaction, feedKeys, cancellationToken), cancellationToken);

    /// <summary>The dirty feeds in key order, each with the marks that make it dirty.</summary>
    public async Task<IReadOnlyList<DirtyFeed>> ListDirtyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var marks = await connection.QueryAsync<(string FeedKey, long Id)>(new CommandDefinition(
            "select feed_key, id from feed_marks order by feed_key, id", cancellationToken: cancellationToken));
        return [.. marks.GroupBy(m => m.FeedKey, StringComparer.Ordinal).Select(g => new DirtyFeed(g.Key, [.. g.Select(m => m.Id)]))];
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

            foreach (var ids in answered.SelectMany(a => a.Marks).Chunk(MarksPerDelete))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"delete from feed_marks where {database.Dialect.In("id", "@ids")}",
                    new { ids },
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

            await NotifyAsync(connection, transaction, documents.Select(d => d.FeedKey).Distinct(StringComparer.Ordinal), cancellationToken);
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
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from feed_documents where feed_key = @feedKey", new { feedKey }, transaction, cancellationToken: cancellationToken));
            await NotifyAsync(connection, transaction, [feedKey], cancellationToken);
        }, cancellationToken);

    /// <summary>Every stored document of a feed, one per format; none when the feed has none (any more).</summary>
    public async Task<IReadOnlyList<StoredFeed>> LoadAllAsync(string feedKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<StoredFeed>(new CommandDefinition(
            """
            select feed_key as FeedKey, format as Format, body as Body, body_gzip as BodyGzip, body_brotli as BodyBrotli,
                   etag as ETag, last_modified as LastModified, entry_count as EntryCount
            from feed_documents
            where feed_key = @feedKey
            """,
            new { feedKey },
            cancellationToken: cancellationToken))];
    }

    private async Task NotifyAsync(IDbConnection connection, IDbTransaction transaction, IEnumerable<string> feedKeys, CancellationToken cancellationToken)
    {
        if (database.Dialect.NotifySql is not { } notify)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            notify, new { Channel = ChangesChannel, Payloads = feedKeys.Select(key => $"{Origin} {key}").ToArray() }, transaction, cancellationToken: cancellationToken));
    }

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

    /// <summary>The ETag of every stored document, without its bytes: what a node compares what it holds with.</summary>
    public async Task<IReadOnlyList<(string FeedKey, string Format, string ETag)>> ListETagsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, string)>(new CommandDefinition(
            "select feed_key, format, etag from feed_documents", cancellationToken: cancellationToken))];
    }

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
