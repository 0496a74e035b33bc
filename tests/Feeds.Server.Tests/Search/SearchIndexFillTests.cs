using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

public sealed class SearchIndexFillTests
{
    [Fact]
    public async Task Posts_missing_from_the_index_are_indexed_before_the_service_answers()
    {
        string dataDirectory;
        using (var server = new FeedsServer())
        {
            dataDirectory = server.DataDirectory;
            using var author = server.CreateAuthorizedClient();
            await author.CreateAsync(Post("Axolotl gills", "Feathery, outside the head.", "Amphibians"));
            await author.CreateAsync(Post("Axolotl regrowth", "Limbs grow back.", "Biology"));
        }

        // What a migration that makes the index anew leaves behind: every post, and an empty index.
        await using (var connection = await TestDatabase.OpenAsync(dataDirectory))
        {
            await using var empty = connection.CreateCommand();
            empty.CommandText = TestDatabase.IsPostgres
                ? "delete from search_docs"
                : "insert into search_fts (search_fts) values ('delete-all'); delete from search_docs;";
            await empty.ExecuteNonQueryAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "select count(*) from search_docs";
            Assert.Equal(0L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        using (var server = new FeedsServer(dataDirectory))
        {
            using var reader = server.CreateClient();
            Assert.Equal(["Axolotl gills", "Axolotl regrowth"], (await reader.TitlesAsync("axolotl")).Order());
            Assert.Equal(["Axolotl gills"], await reader.TitlesAsync("axo* tag:amphibians"));
            Assert.Equal(["Axolotl regrowth"], await reader.TitlesAsync("\"limbs grow\""));
        }
    }

    private static object Post(string title, string commentary, string tag) =>
        new { url = $"https://example.com/{Guid.NewGuid():N}", title, commentary, tags = new[] { tag }, status = "published" };
}
