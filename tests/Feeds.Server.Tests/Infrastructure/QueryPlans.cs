using System.Data.Common;
using Dapper;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>A statement's plan as the database under test makes it, read with the engine's own <c>explain</c>.</summary>
public static class QueryPlans
{
    /// <summary>
    /// The plan for <paramref name="statement"/>, one line per step. PostgreSQL's statistics on <paramref name="tables"/>
    /// are gathered first, as autovacuum would soon after the rows were written; SQLite plans without any.
    /// </summary>
    public static async Task<string> ExplainAsync(DbConnection connection, CommandDefinition statement, string tables)
    {
        if (TestDatabase.IsPostgres)
        {
            await connection.ExecuteAsync($"analyze {tables}");
            return string.Join('\n', await connection.QueryAsync<string>(new CommandDefinition("explain " + statement.CommandText, statement.Parameters)));
        }

        var steps = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            new CommandDefinition("explain query plan " + statement.CommandText, statement.Parameters));
        return string.Join('\n', steps.Select(s => s.Detail));
    }
}
