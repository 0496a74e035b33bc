using System.Data;
using Dapper;
using Feeds.Core.Search;
using Feeds.Data.Posts;
using Microsoft.Data.Sqlite;

namespace Feeds.Data.Search;

/// <summary>
/// Search on SQLite: the words in an FTS5 table without content of its own (<c>search_fts</c>, ranked by bm25 with the
/// title and tags weighing most), keyed by the row of the post's <c>search_docs</c> entry.
/// Rows are numbered as posts are first indexed, so the most recently added matches are those of the highest rows;
/// FTS5 seeks to the first of them, and prefix queries of three letters read an index of their own.
/// </summary>
internal sealed class SqliteSearchIndex(Database database, PostQueries posts, int rankLimit) : SearchIndex(database, posts, rankLimit)
{
    // Weights per column in table order: title, commentary, link, via, tags.
    private const string Bm25 = "bm25(search_fts, 10.0, 4.0, 2.0, 1.0, 6.0)";

    /// <summary>The row of the oldest match that counts among the most recently added; 0 when there are fewer.</summary>
    private const string NewestRowsFrom = "coalesce((select rowid from search_fts where search_fts match @Match order by rowid desc limit 1 offset @RankOffset), 0)";

    // The update changes nothing: it is there so that a post already indexed returns its row too.
    private const string UpsertDocSql = """
        insert into search_docs (post_id) values (@Id)
        on conflict (post_id) do update set post_id = excluded.post_id
        returning doc_id
        """;

    // Without `returning`: SQLite runs a statement with `returning` as one with a trigger, in a savepoint of its own,
    // and every savepoint makes FTS5 write the words it holds for the transaction to disk. With `returning` here, an
    // import's batch wrote its words as a small segment for each post, then merged them, where now it writes one.
    private const string InsertDocSql = "insert into search_docs (post_id) values (@Id)";

    // A replace first looks for the row to delete; a new post has none, so its words are only inserted.
    private const string InsertWordsSql = """
        insert into search_fts (rowid, title, commentary, link, via, tags)
        values (@DocId, @Title, @Commentary, @Link, @Via, @Tags)
        """;

    private const string UpsertWordsSql = """
        insert or replace into search_fts (rowid, title, commentary, link, via, tags)
        values (@DocId, @Title, @Commentary, @Link, @Via, @Tags)
        """;

    private const string DeleteWordsSql = "delete from search_fts where rowid = (select doc_id from search_docs where post_id = @Id)";

    private const string DeleteDocSql = "delete from search_docs where post_id = @Id";

    protected override async Task UpsertAsync(IDbTransaction transaction, Guid id, SearchDocument document, bool isNew, CancellationToken cancellationToken)
    {
        long docId;
        if (isNew)
        {
            await Database.Prepared(transaction, InsertDocSql, ("@Id", id)).ExecuteNonQueryAsync(cancellationToken);
            docId = SQLitePCL.raw.sqlite3_last_insert_rowid(((SqliteConnection)transaction.Connection!).Handle);
        }
        else
        {
            docId = (long)(await Database.Prepared(transaction, UpsertDocSql, ("@Id", id)).ExecuteScalarAsync(cancellationToken))!;
        }

        await Database.Prepared(
                transaction,
                isNew ? InsertWordsSql : UpsertWordsSql,
                ("@DocId", docId),
                ("@Title", document.Title),
                ("@Commentary", document.Commentary),
                ("@Link", document.Link),
                ("@Via", document.Via),
                ("@Tags", document.Tags))
            .ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task DeleteAsync(IDbTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        await Database.Prepared(transaction, DeleteWordsSql, ("@Id", id)).ExecuteNonQueryAsync(cancellationToken);
        await Database.Prepared(transaction, DeleteDocSql, ("@Id", id)).ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ClearAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        // The index is emptied at once, rather than a row at a time, leaving nothing behind to merge away.
        await connection.ExecuteAsync(new CommandDefinition("insert into search_fts (search_fts) values ('delete-all'); delete from search_docs;", transaction: transaction, cancellationToken: cancellationToken));
    }

    protected override (string Join, string Condition, string Rank) MatchTerms(bool newestOnly) =>
        (" join search_fts f on f.rowid = d.doc_id", "search_fts match @Match" + (newestOnly ? $" and f.rowid >= {NewestRowsFrom}" : ""), Bm25);

    protected override string RankedMatches(bool newestOnly) => $"""
        select d.post_id, f.score as rank
        from (
            select rowid, {Bm25} as score from search_fts
            where search_fts match @Match{(newestOnly ? $" and rowid >= {NewestRowsFrom}" : "")}
            order by score limit @Candidates) f
        join search_docs d on d.doc_id = f.rowid
        """;

    protected override string ExcludedCondition => "d.doc_id in (select rowid from search_fts where search_fts match @Excluded)";

    protected override string TermsText(IReadOnlyList<SearchTerm> terms) => string.Join(' ', terms.Select(Quoted));

    protected override string ExcludedText(IReadOnlyList<SearchTerm> terms) => string.Join(" OR ", terms.Select(Quoted));

    // Words hold only letters and digits (SearchText), so quoting makes each a plain string to FTS5, never an operator.
    private static string Quoted(SearchTerm term) => $"\"{string.Join(' ', term.Words)}\"" + (term.Prefix ? " *" : "");
}
