using System.Globalization;
using Dapper;

namespace Feeds.Data.Posts;

/// <summary>What the reader's pages and the sitemap need beyond lists of posts: the archive's months and every permalink.</summary>
public sealed partial class PostQueries
{
    private const string PublishedMonthsSql = """
        select substr(published_at, 1, 7) as Month, count(*) as Posts from posts
        where status = 'published' and deleted_at is null
        group by substr(published_at, 1, 7) order by Month
        """;

    private const string CountPublishedSql = "select count(*) from posts where status = 'published' and deleted_at is null";

    // Oldest first, so a part of the sitemap keeps the same posts as new ones are published.
    private const string PermalinksSql = """
        select slug as Slug, published_at as PublishedAt, updated_at as UpdatedAt from posts
        where status = 'published' and deleted_at is null
        order by sort_at, id limit @Take offset @Skip
        """;

    /// <summary>Every month (first day, UTC) in which posts were first published, with how many, oldest first.</summary>
    public async Task<IReadOnlyList<MonthCount>> CountPublishedByMonthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Month, long Posts)>(new CommandDefinition(PublishedMonthsSql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new MonthCount(DateOnly.ParseExact(r.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture), (int)r.Posts))];
    }

    public async Task<int> CountPublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountPublishedSql, cancellationToken: cancellationToken));
    }

    /// <summary>The published posts' permalinks, oldest first, from the <paramref name="skip"/>th on.</summary>
    public async Task<IReadOnlyList<PublishedPermalink>> ListPermalinksAsync(int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Slug, DateTimeOffset PublishedAt, DateTimeOffset UpdatedAt)>(new CommandDefinition(
            PermalinksSql, new { Skip = skip, Take = take }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PublishedPermalink(r.Slug, r.PublishedAt, r.UpdatedAt))];
    }
}

/// <summary>How many posts were published in one month (its first day).</summary>
public sealed record MonthCount(DateOnly Month, int Posts);

/// <summary>What a sitemap says of one published post.</summary>
public sealed record PublishedPermalink(string Slug, DateTimeOffset PublishedAt, DateTimeOffset UpdatedAt);
