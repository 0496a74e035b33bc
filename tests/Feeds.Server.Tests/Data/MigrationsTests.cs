using Feeds.Data.Migrations;

namespace Feeds.Server.Tests.Data;

/// <summary>The two providers' schema histories move in step, so a database of either kind at one version can be copied into the other.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Both_providers_have_the_same_migrations_in_the_same_order()
    {
        Assert.Equal(
            SqliteMigrations.All.Select(m => (m.Version, m.Name)),
            PostgresMigrations.All.Select(m => (m.Version, m.Name)));
    }

    [Fact]
    public void Versions_count_up_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Count), SqliteMigrations.All.Select(m => m.Version));
    }
}
