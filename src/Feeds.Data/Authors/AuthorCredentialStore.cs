using Dapper;

namespace Feeds.Data.Authors;

/// <summary>The one author's desk password (a single row): none until the first sign-in sets it.</summary>
public sealed class AuthorCredentialStore(Database database, TimeProvider clock)
{
    private const string SelectSql = """
        select password_hash as PasswordHash, session_stamp as SessionStamp, changed_at as ChangedAt
        from author_credentials where id = 1
        """;

    // A first password is set only while there is none, so two first visits racing cannot both set one.
    private const string InsertFirstSql = """
        insert into author_credentials (id, password_hash, session_stamp, changed_at) values (1, @PasswordHash, @SessionStamp, @ChangedAt)
        on conflict (id) do nothing
        """;

    private const string ReplaceSql = """
        update author_credentials set password_hash = @PasswordHash, session_stamp = @SessionStamp, changed_at = @ChangedAt
        where id = 1
        """;

    public async Task<AuthorCredentials?> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AuthorCredentials>(new CommandDefinition(SelectSql, cancellationToken: cancellationToken));
    }

    /// <summary>Sets the first password; null when one is set already.</summary>
    public Task<AuthorCredentials?> SetFirstAsync(string passwordHash, CancellationToken cancellationToken) =>
        WriteAsync(InsertFirstSql, passwordHash, cancellationToken);

    /// <summary>Replaces the password and the session stamp with it; null when no password was set.</summary>
    public Task<AuthorCredentials?> ReplaceAsync(string passwordHash, CancellationToken cancellationToken) =>
        WriteAsync(ReplaceSql, passwordHash, cancellationToken);

    private async Task<AuthorCredentials?> WriteAsync(string sql, string passwordHash, CancellationToken cancellationToken)
    {
        var credentials = new AuthorCredentials(passwordHash, Guid.NewGuid().ToString("N"), clock.GetUtcNow());
        var written = await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            sql, credentials, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return written == 1 ? credentials : null;
    }
}
