using Dapper;

namespace Feeds.Data.Tokens;

public sealed record ApiToken(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>API tokens, kept only as SHA-256 hashes: the database never holds a usable secret.</summary>
public sealed class TokenStore(Database database, TimeProvider clock)
{
    private const string SelectToken = "select id as Id, name as Name, created_at as CreatedAt, last_used_at as LastUsedAt, revoked_at as RevokedAt from api_tokens";

    public async Task<ApiToken> CreateAsync(string name, string tokenHash, CancellationToken cancellationToken)
    {
        var token = new ApiToken(Guid.CreateVersion7(), name, clock.GetUtcNow(), null, null);
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "insert into api_tokens (id, name, token_hash, created_at) values (@Id, @Name, @Hash, @CreatedAt)",
            new { token.Id, token.Name, Hash = tokenHash, token.CreatedAt },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);
        return token;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ApiToken>(new CommandDefinition(SelectToken + " order by created_at", cancellationToken: cancellationToken))];
    }

    /// <summary>The live (unrevoked) token with this hash, if any.</summary>
    public async Task<(Guid Id, string Name, string Hash)?> FindLiveAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(Guid, string, string)?>(new CommandDefinition(
            "select id, name, token_hash from api_tokens where token_hash = @tokenHash and revoked_at is null",
            new { tokenHash },
            cancellationToken: cancellationToken));
    }

    /// <summary>Revokes a token; false when no live token has that id.</summary>
    public Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "update api_tokens set revoked_at = @Now where id = @id and revoked_at is null",
            new { id, Now = clock.GetUtcNow() },
            transaction,
            cancellationToken: cancellationToken)) == 1, cancellationToken);
}
