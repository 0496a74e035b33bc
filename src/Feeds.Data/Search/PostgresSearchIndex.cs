using System.Data;
using System.Text;
using Dapper;
using Feeds.Core.Search;
using Feeds.Data.Posts;

namespace Feeds.Data.Search;

/// <summary>
/// Search on PostgreSQL: each post's words as a <c>tsvector</c> under a GIN index, ranked by <c>ts_rank</c>. The vector
/// and the query are written here from <see cref="SearchText"/>'s words rather than by a text search configuration,
/// so both engines match the same words, and fields stand apart so that no phrase runs from one into the next.
/// Post ids grow with time (UUID version 7), so the most recently added matches are those of the highest ids.
/// </summary>
internal sealed class PostgresSearchIndex(Database database, PostQueries posts, int rankLimit) : SearchIndex(database, posts, rankLimit)
{
    private const string Rank = "-cast(ts_rank(d.document, cast(@Match as tsquery)) as double precision)";

    /// <summary>
    /// The id of the oldest match that counts among the most recently added; the empty text when there are fewer. The
    /// matches are taken from the GIN index, then sorted: walking the ids' index instead would read every post for a rare word.
    /// </summary>
    private const string NewestIdsFrom = """
        coalesce((
            with m as materialized (select post_id from search_docs where document @@ cast(@Match as tsquery))
            select post_id from m order by post_id collate "C" desc offset @RankOffset limit 1), '')
        """;

    // PostgreSQL's limits on a vector: positions up to 16,383, at most 256 of them per word, words under 2 KB.
    private const int MaxPosition = 16_383;
    private const int MaxPositionsPerWord = 256;
    private const int MaxWordLength = 500;
    private const int FieldGap = 16;

    private const string UpsertSql = """
        insert into search_docs (post_id, document) values (@Id, cast(@Document as tsvector))
        on conflict (post_id) do update set document = excluded.document
        """;

    protected override async Task UpsertAsync(IDbTransaction transaction, Guid id, SearchDocument document, bool isNew, CancellationToken cancellationToken)
    {
        await Database.ExecuteLaterAsync(transaction, UpsertSql, cancellationToken, ("@Id", id), ("@Document", Vector(document)));
    }

    protected override async Task DeleteAsync(IDbTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        await Database.ExecuteLaterAsync(transaction, "delete from search_docs where post_id = @Id", cancellationToken, ("@Id", id));
    }

    protected override async Task ClearAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("delete from search_docs", transaction: transaction, cancellationToken: cancellationToken));
    }

    protected override (string Join, string Condition, string Rank) MatchTerms(bool newestOnly) =>
        ("", "d.document @@ cast(@Match as tsquery)" + (newestOnly ? $" and d.post_id collate \"C\" >= {NewestIdsFrom}" : ""), Rank);

    protected override string RankedMatches(bool newestOnly) => $"""
        select d.post_id, {Rank} as rank
        from search_docs d where d.document @@ cast(@Match as tsquery){(newestOnly ? $" and d.post_id collate \"C\" >= {NewestIdsFrom}" : "")}
        order by rank limit @Candidates
        """;

    protected override string ExcludedCondition => "d.document @@ cast(@Excluded as tsquery)";

    protected override string TermsText(IReadOnlyList<SearchTerm> terms) => string.Join(" & ", terms.Select(Query));

    protected override string ExcludedText(IReadOnlyList<SearchTerm> terms) => string.Join(" | ", terms.Select(Query));

    // Words hold only letters and digits (SearchText), so quoted they are plain lexemes, never operators.
    private static string Query(SearchTerm term) =>
        "(" + string.Join(" <-> ", term.Words.Select((w, i) => $"'{w}'" + (term.Prefix && i == term.Words.Count - 1 ? ":*" : ""))) + ")";

    /// <summary>The document as <c>tsvector</c> text: title and tags weigh most (A), then commentary (B), link (C), via (D).</summary>
    private static string Vector(SearchDocument document)
    {
        var positions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var position = 1;
        foreach (var (field, weight) in new[] { (document.Title, 'A'), (document.Tags, 'A'), (document.Commentary, 'B'), (document.Link, 'C'), (document.Via, 'D') })
        {
            foreach (var word in field.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Length <= MaxWordLength)
                {
                    var list = positions.TryGetValue(word, out var existing) ? existing : positions[word] = [];
                    if (list.Count < MaxPositionsPerWord)
                    {
                        list.Add($"{Math.Min(position, MaxPosition)}{weight}");
                    }
                }

                position++;
            }

            position += FieldGap;
        }

        var text = new StringBuilder();
        foreach (var (word, list) in positions)
        {
            text.Append('\'').Append(word).Append("':").AppendJoin(',', list).Append(' ');
        }

        return text.ToString();
    }
}
