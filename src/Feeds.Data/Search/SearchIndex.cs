using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Feeds.Core.Posts;
using Feeds.Core.Search;
using Feeds.Data.Posts;

namespace Feeds.Data.Search;

/// <summary>
/// Full-text search over posts, the same for every engine: the filters, ranking order and keyset paging are written
/// here once; how an engine keeps and matches words (SQLite FTS5, PostgreSQL <c>tsvector</c>) is its subclass's.
/// The index is written through <see cref="IndexAsync"/> in the transaction of every post write.
/// </summary>
/// <remarks>
/// Ranking costs the engine about a microsecond for every match, so a search by words alone that match a large share
/// of the site (<c>the</c>, a three-letter prefix) ranks only the <paramref name="rankLimit"/> most recently added
/// posts among its matches, and answers in milliseconds where ranking them all took tens. A tag, site or date in the
/// search narrows it enough to rank every match.
/// </remarks>
public abstract class SearchIndex(Database database, PostQueries posts, int rankLimit)
{
    /// <summary>How many of the most recently added matches a search by words alone ranks, unless configured otherwise.</summary>
    public const int DefaultRankLimit = 5_000;

    private const int FillBatchSize = 1_000;

    /// <summary>From how many changes a write cuts its posts into words on every core.</summary>
    private const int ParallelFrom = 8;

    private const int MaxFacets = 30;

    /// <summary>How many of the best matches a first page is taken from, at least; enough for drafts and excluded words among them.</summary>
    private const int Candidates = 200;

    protected Database Database { get; } = database;

    public static SearchIndex For(Database database, PostQueries posts, int rankLimit = DefaultRankLimit) => database.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresSearchIndex(database, posts, rankLimit),
        _ => new SqliteSearchIndex(database, posts, rankLimit),
    };

    /// <summary>Brings the index in step with <paramref name="changes"/>, inside their write's transaction.</summary>
    public async Task IndexAsync(IReadOnlyList<PostChange> changes, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        // Cutting posts into words is most of indexing's own work and needs nothing shared: an import's batch spreads it
        // over the cores before the writes, which only one connection can make. A post or two is cut where it is.
        var documents = new SearchDocument?[changes.Count];
        void Cut(int i) => documents[i] = changes[i].After is { } post ? SearchDocument.For(post) : null;
        if (changes.Count < ParallelFrom)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                Cut(i);
            }
        }
        else
        {
            Parallel.For(0, changes.Count, new ParallelOptions { CancellationToken = cancellationToken }, Cut);
        }

        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (change.After is { } post)
            {
                await UpsertAsync(transaction, post.Id, documents[i]!, isNew: change.Before is null, cancellationToken);
            }
            else if (change.Before is { } gone)
            {
                await DeleteAsync(transaction, gone.Id, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Indexes every live post that is not in the index yet, a batch per write, reading the posts a batch at a time in
    /// id order from where the last batch ended. Returns how many it indexed.
    /// </summary>
    public async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var after = "";
        while (true)
        {
            var (filled, last) = await Database.WriteAsync(async (connection, transaction) =>
            {
                var missing = (await connection.QueryAsync<Guid>(new CommandDefinition(
                    """
                    select p.id from posts p
                    where p.id > @After and p.deleted_at is null and not exists (select 1 from search_docs d where d.post_id = p.id)
                    order by p.id limit @Take
                    """,
                    new { After = after, Take = FillBatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
                if (missing.Count == 0)
                {
                    return (0, after);
                }

                var found = await PostQueries.ListByIdsAsync(connection, transaction, missing, cancellationToken);
                await IndexAsync([.. found.Select(p => new PostChange(null, p))], transaction, cancellationToken);
                return (missing.Count, missing[^1].ToString("D"));
            }, cancellationToken);
            total += filled;
            after = last;
            if (filled < FillBatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Empties the index and fills it again from the posts. Returns how many posts it indexed.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        await Database.WriteAsync((connection, transaction) => ClearAsync(connection, transaction, cancellationToken), cancellationToken);
        return await FillAsync(cancellationToken);
    }

    public async Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var hits = await FindAsync(request, cancellationToken);
        return hits.Ids.Count == 0 ? SearchPage.Empty : new SearchPage(await posts.ListByIdsAsync(hits.Ids, cancellationToken), hits.Next);
    }

    /// <summary>The ids of a page of the search's results, in their order, without reading the posts.</summary>
    public async Task<SearchHits> FindAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (query.IsEmpty || (query.Drafts && !request.Author))
        {
            return SearchHits.None;
        }

        var limit = Math.Clamp(request.Limit, 1, SearchRequest.MaxLimit);
        await using var connection = await Database.OpenAsync(cancellationToken);
        var rows = await BestFirstAsync(connection, request, limit, cancellationToken) ?? await AllMatchesAsync(connection, request, limit, cancellationToken);
        var next = rows.Count > limit ? new SearchCursor(rows[limit - 1].Rank, rows[limit - 1].SortAt, rows[limit - 1].Id) : null;
        return new SearchHits([.. rows.Take(limit).Select(r => r.Id)], next);
    }

    /// <summary>
    /// The first page of a search by words alone, from the engine's best <see cref="Candidates"/> matches: only those
    /// are looked up among the posts, instead of every match. The page is exact when every candidate ranked before the
    /// last one's rank (ties at that rank may have been cut) fills it, or when the engine had no more matches; null
    /// when it cannot tell, as when drafts or a date filter leave too few, and for filtered searches, whose few matches
    /// are found faster from the filter's side.
    /// </summary>
    private async Task<List<(Guid Id, string SortAt, double Rank)>?> BestFirstAsync(
        DbConnection connection, SearchRequest request, int limit, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (!IsByWordsAlone(query) || request.NewestFirst || request.After is not null)
        {
            return null;
        }

        var (where, parameters) = Filters(request);
        parameters.Add("Match", TermsText(query.Terms));
        parameters.Add("RankOffset", rankLimit - 1);
        parameters.Add("Candidates", Math.Max(Candidates, (limit + 1) * 2));
        parameters.Add("Take", limit + 1);
        var rows = (await connection.QueryAsync<(Guid Id, string SortAt, double Rank, bool Exact)>(new CommandDefinition(
            $"""
            with c as materialized ({RankedMatches(newestOnly: true)}),
            bound as materialized (select count(*) as n, max(rank) as last from c)
            select p.id, p.sort_at, c.rank, bound.n < @Candidates
            from c cross join bound join search_docs d on d.post_id = c.post_id join posts p on p.id = d.post_id
            where p.deleted_at is null and (bound.n < @Candidates or c.rank < bound.last){where}
            order by c.rank, p.sort_at desc, p.id desc
            limit @Take
            """,
            parameters,
            cancellationToken: cancellationToken))).AsList();
        return rows.Count > limit || (rows.Count > 0 && rows[0].Exact) ? [.. rows.Select(r => (r.Id, r.SortAt, r.Rank))] : null;
    }

    /// <summary>A page of every post the search finds, ranked together; the way of filtered searches and later pages.</summary>
    private async Task<List<(Guid Id, string SortAt, double Rank)>> AllMatchesAsync(
        DbConnection connection, SearchRequest request, int limit, CancellationToken cancellationToken)
    {
        var (from, parameters, rank) = Matching(request);
        var sql = new StringBuilder($"select r.Id, r.SortAt, r.Rank from (select p.id as Id, p.sort_at as SortAt, {rank} as Rank {from}) r");
        if (request.After is { } after)
        {
            sql.Append(" where r.Rank > @AfterRank or (r.Rank = @AfterRank and (r.SortAt < @AfterSortAt or (r.SortAt = @AfterSortAt and r.Id < @AfterId)))");
            parameters.Add("AfterRank", after.Rank);
            parameters.Add("AfterSortAt", after.SortAt);
            parameters.Add("AfterId", after.Id.ToString("D"));
        }

        sql.Append(" order by r.Rank, r.SortAt desc, r.Id desc limit @Take");
        parameters.Add("Take", limit + 1);
        return (await connection.QueryAsync<(Guid, string, double)>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The tags of every result of <paramref name="request"/> (not only a page's), most common first.</summary>
    public async Task<IReadOnlyList<TagCount>> FacetsAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.IsEmpty || (request.Query.Drafts && !request.Author))
        {
            return [];
        }

        var (from, parameters, _) = Matching(request);
        parameters.Add("Facets", MaxFacets);
        await using var connection = await Database.OpenAsync(cancellationToken);
        var facets = await connection.QueryAsync<(string Slug, string Name, long Count)>(new CommandDefinition(
            $"""
            select t.slug, t.name, cast(count(*) as bigint)
            from post_tags pt join tags t on t.slug = pt.tag_slug
            where pt.post_id in (select p.id {from})
            group by t.slug, t.name
            order by count(*) desc, t.slug
            limit @Facets
            """,
            parameters,
            cancellationToken: cancellationToken));
        return [.. facets.Select(f => new TagCount(f.Slug, f.Name, f.Count))];
    }

    /// <summary>The <c>from … where …</c> of every post <paramref name="request"/> finds, its parameters, and its rank expression (lower is better).</summary>
    private (string From, DynamicParameters Parameters, string Rank) Matching(SearchRequest request)
    {
        var query = request.Query;
        var (filters, parameters) = Filters(request);
        var from = new StringBuilder("from posts p join search_docs d on d.post_id = p.id");
        var rank = "cast(0 as double precision)";
        var where = new StringBuilder(" where p.deleted_at is null");
        if (query.Terms.Count > 0)
        {
            var newestOnly = IsByWordsAlone(query);
            var (join, condition, rankExpression) = MatchTerms(newestOnly);
            from.Append(join);
            where.Append(" and ").Append(condition);
            rank = request.NewestFirst ? rank : rankExpression;
            parameters.Add("Match", TermsText(query.Terms));
            if (newestOnly)
            {
                parameters.Add("RankOffset", rankLimit - 1);
            }
        }

        return (from.Append(where).Append(filters).ToString(), parameters, rank);
    }

    /// <summary>Whether <paramref name="query"/> has words and nothing that narrows them: no tag, site or date.</summary>
    private static bool IsByWordsAlone(SearchQuery query) =>
        query.Terms.Count > 0 && query.Tags.Count == 0 && query.Sites.Count == 0 && query.BeforeTime is null && query.AfterTime is null;

    /// <summary>
    /// The conditions on <c>posts p</c> and <c>search_docs d</c> of everything but the words a search must match and the
    /// post being live, each starting with <c> and</c>, and their parameters. The tags are looked up by <c>d</c>'s post, so that the posts
    /// whose index entry is in the wrong tag are passed over before their rows are read.
    /// </summary>
    private (string Where, DynamicParameters Parameters) Filters(SearchRequest request)
    {
        var query = request.Query;
        var parameters = new DynamicParameters();
        var where = new StringBuilder();
        if (query.Excluded.Count > 0)
        {
            where.Append(" and not ").Append(ExcludedCondition);
            parameters.Add("Excluded", ExcludedText(query.Excluded));
        }

        for (var i = 0; i < query.Tags.Count; i++)
        {
            where.Append(CultureInfo.InvariantCulture, $" and exists (select 1 from post_tags pt{i} where pt{i}.post_id = d.post_id and pt{i}.tag_slug = @Tag{i})");
            parameters.Add($"Tag{i}", query.Tags[i]);
        }

        if (query.Sites.Count > 0)
        {
            where.Append(" and (").AppendJoin(" or ", query.Sites.Select((_, i) => $"p.link_site = @Site{i} or p.link_site like @SiteSuffix{i}")).Append(')');
            for (var i = 0; i < query.Sites.Count; i++)
            {
                parameters.Add($"Site{i}", query.Sites[i]);
                parameters.Add($"SiteSuffix{i}", "%." + query.Sites[i]);
            }
        }

        if (!request.Author)
        {
            where.Append(" and p.status = 'published'");
        }
        else if (query.Drafts)
        {
            where.Append(" and p.status = 'draft'");
        }

        if (query.BeforeTime is { } before)
        {
            where.Append(" and p.sort_at < @Before");
            parameters.Add("Before", StoredValues.ToText(before));
        }

        if (query.AfterTime is { } after)
        {
            where.Append(" and p.sort_at >= @After");
            parameters.Add("After", StoredValues.ToText(after));
        }

        return (where.ToString(), parameters);
    }

    /// <summary>
    /// Stores (or replaces) the document of post <paramref name="id"/>; <paramref name="isNew"/> when the index cannot
    /// hold one yet (a post just created or imported, or one found missing), so that nothing is looked for to replace.
    /// </summary>
    protected abstract Task UpsertAsync(IDbTransaction transaction, Guid id, SearchDocument document, bool isNew, CancellationToken cancellationToken);

    protected abstract Task DeleteAsync(IDbTransaction transaction, Guid id, CancellationToken cancellationToken);

    protected abstract Task ClearAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// What joins to <c>posts p</c> and <c>search_docs d</c> to match <c>@Match</c>, the condition, and the rank (lower
    /// is better); with <paramref name="newestOnly"/>, only the <c>@RankOffset</c> + 1 most recently added matches count.
    /// </summary>
    protected abstract (string Join, string Condition, string Rank) MatchTerms(bool newestOnly);

    /// <summary>
    /// A query of the best <c>@Candidates</c> posts matching <c>@Match</c>, as <c>post_id</c> and <c>rank</c> (lower is
    /// better, the same value <see cref="MatchTerms"/> ranks by), ranked by the engine without reading the posts; with
    /// <paramref name="newestOnly"/>, as <see cref="MatchTerms"/> limits it.
    /// </summary>
    protected abstract string RankedMatches(bool newestOnly);

    /// <summary>A condition true when <c>d</c>'s document matches any term of <c>@Excluded</c>.</summary>
    protected abstract string ExcludedCondition { get; }

    /// <summary>Every one of <paramref name="terms"/> in the engine's query syntax.</summary>
    protected abstract string TermsText(IReadOnlyList<SearchTerm> terms);

    /// <summary>Any one of <paramref name="terms"/> in the engine's query syntax.</summary>
    protected abstract string ExcludedText(IReadOnlyList<SearchTerm> terms);
}
