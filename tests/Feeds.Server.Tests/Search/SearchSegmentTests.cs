using Dapper;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Data.Search;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Search;

/// <summary>
/// FTS5 keeps the words a transaction indexes in memory and writes them as one segment at its commit, unless a
/// savepoint comes first: every savepoint writes what it holds so far. A statement of the index's own write that SQLite
/// runs in a savepoint (one with <c>returning</c>, or a trigger) made an import's batch write a segment per post and
/// merge them again, a third of the import's time. Read from FTS5's structure record (<c>search_fts_data</c>, id 10):
/// a 4-byte cookie, 4 more bytes marking its second version, then the number of levels and of segments as varints.
/// </summary>
public sealed class SearchSegmentTests : StoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly byte[] SecondVersion = [0xFF, 0x00, 0x00, 0x01];

    [Fact]
    public async Task An_import_batch_writes_its_words_as_one_segment()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = PostStore(new FakeTimeProvider(Now), new SearchIndexHook(SearchIndex.For(Database, new PostQueries(Database))));

        var batch = Enumerable.Range(0, 200).Select(i => new NewPost(
            new PostContent($"https://example.com/{i}", $"Notes on write-ahead logs, part {i}", "Why *checkpoints* matter.", [new Tag("sqlite", "SQLite")], null, PostStatus.Published, null),
            null,
            null));
        await store.ImportAsync([.. batch], cancellationToken);

        await using var connection = await Database.OpenAsync(cancellationToken);
        var structure = await connection.ExecuteScalarAsync<byte[]>("select block from search_fts_data where id = 10");
        var (levels, segments) = LevelsAndSegments(structure!);
        Assert.True(segments == 1, $"the batch left {segments} segments on {levels} levels; its words should be one segment");
    }

    private static (long Levels, long Segments) LevelsAndSegments(byte[] structure)
    {
        var at = structure.AsSpan(4, 4).SequenceEqual(SecondVersion) ? 8 : 4;
        return (Varint(structure, ref at), Varint(structure, ref at));
    }

    private static long Varint(byte[] bytes, ref int at)
    {
        long value = 0;
        byte b;
        do
        {
            b = bytes[at++];
            value = (value << 7) | (b & 0x7Fu);
        }
        while ((b & 0x80) != 0);
        return value;
    }
}
