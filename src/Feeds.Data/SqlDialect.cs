using System.Data;
using Npgsql;

namespace Feeds.Data;

/// <summary>
/// The few places where SQLite's and PostgreSQL's SQL differ for the stores, written once. Everything else the stores
/// say is the same text for both.
/// </summary>
public abstract class SqlDialect
{
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    public static SqlDialect Postgres { get; } = new PostgresDialect();

    /// <summary>The dialect of the engine <paramref name="connection"/> talks to.</summary>
    public static SqlDialect Of(IDbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;

    /// <summary>
    /// <paramref name="column"/> is one of the list Dapper binds to <paramref name="listParameter"/>. Dapper expands a list
    /// into one parameter per item where the engine has no arrays (SQLite), but hands PostgreSQL one array parameter.
    /// </summary>
    public abstract string In(string column, string listParameter);

    /// <summary>Whether a statement takes a list as one array parameter (PostgreSQL) instead of one parameter per item.</summary>
    public abstract bool BindsArrays { get; }

    /// <summary>
    /// A statement that holds the text <c>@Key</c> for the rest of the write's transaction, so that concurrent writes
    /// about to claim the same thing (a slug made from one title) go one after another instead of colliding and running
    /// again; null where a write already holds the whole database (SQLite).
    /// </summary>
    public abstract string? HoldKeySql { get; }

    /// <summary>
    /// A statement that holds the tags, shared with other writes of posts, for the rest of the write's transaction: a
    /// write that looks tags up and links posts to them takes it before its first look-up, so that a rename or merge
    /// (<see cref="HoldTagsAloneSql"/>) either ends before the look-up or begins after the commit, and no link is left to
    /// a tag it removed. It stands for the links' foreign key to the tags, whose check locked the row of each tag linked:
    /// a write to the same few rows by every concurrent create. On PostgreSQL it is the lock an insert into the table
    /// takes anyway (<c>row exclusive</c>: writers do not wait for each other, readers wait for no one), taken earlier; a
    /// rename's (<c>share row exclusive</c>) waits for them and they for it. Null where a write already holds the whole
    /// database (SQLite). It returns no rows, so it may wait in a batch (<see cref="Database.ExecuteLaterAsync"/>).
    /// </summary>
    public abstract string? ShareTagsSql { get; }

    /// <summary>The statement that holds the tags alone, for a rename or a merge (<see cref="ShareTagsSql"/>); null on SQLite.</summary>
    public abstract string? HoldTagsAloneSql { get; }

    /// <summary>
    /// A statement that tells every listening node each of <c>@Payloads</c> on the channel <c>@Channel</c> when the write
    /// commits, in commit order; null where there are no other nodes to tell (SQLite).
    /// </summary>
    public abstract string? NotifySql { get; }

    /// <summary>
    /// What ends a query whose rows the write is about to claim: it locks them, passing over rows a concurrent writer
    /// holds instead of waiting for it. Empty where a write already holds the whole database (SQLite).
    /// </summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// A join of <c>posts</c> as <paramref name="alias"/> to the rows before it whose post ids are
    /// <paramref name="postId"/>, each post looked up by its key. SQLite joins so of itself. PostgreSQL, costing a read
    /// of a random page as four of a sequential one, would read every post into a hash for a few hundred rows; a lateral
    /// subquery it may not flatten (<c>offset 0</c>) holds it to one lookup per row.
    /// </summary>
    public abstract string JoinPostsById(string alias, string postId);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string SkipLocked => "";

        public override string JoinPostsById(string alias, string postId) => $"join posts {alias} on {alias}.id = {postId}";

        public override string? NotifySql => null;

        public override string In(string column, string listParameter) => $"{column} in {listParameter}";

        public override bool BindsArrays => false;

        public override string? HoldKeySql => null;

        public override string? ShareTagsSql => null;

        public override string? HoldTagsAloneSql => null;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string SkipLocked => " for update skip locked";

        public override string JoinPostsById(string alias, string postId) =>
            $"cross join lateral (select * from posts where id = {postId} offset 0) {alias}";

        public override string? NotifySql => "select pg_notify(@Channel, payload) from unnest(@Payloads) as payload";

        public override string In(string column, string listParameter) => $"{column} = any({listParameter})";

        public override bool BindsArrays => true;

        // The two-key form, in a key space of its own: 1 is "a slug".
        public override string? HoldKeySql => "select pg_advisory_xact_lock(1, hashtext(@Key))";

        public override string? ShareTagsSql => "lock table tags in row exclusive mode";

        public override string? HoldTagsAloneSql => "lock table tags in share row exclusive mode";
    }
}
