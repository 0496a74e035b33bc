using Feeds.Core.Text;
using Feeds.Data;
using Feeds.Data.Posts;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// A test class of the stores alone: each of its tests runs over a new database of the provider under test (a SQLite
/// file, or a PostgreSQL database of the tests' own cluster), migrated, and disposed of after it.
/// </summary>
public abstract class StoreTests : IAsyncLifetime
{
    protected Database Database { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await Database.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Database.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A post store over <see cref="Database"/> on <paramref name="clock"/>, running <paramref name="hooks"/> with every write.</summary>
    protected PostStore PostStore(TimeProvider clock, params IPostChangeHook[] hooks) =>
        new(Database, new CommentaryRenderer(), new PostChangeHooks(Database, hooks), clock);
}
