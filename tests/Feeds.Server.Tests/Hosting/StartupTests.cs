using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Feeds:BaseUrl", "not a url")]
    [InlineData("Feeds:BaseUrl", "ftp://example.com/")]
    [InlineData("Feeds:AdminToken", "short")]
    [InlineData("Feeds:HostAliases:0", "https://feeds.example.net/")]
    [InlineData("Feeds:HostAliases:0", "feeds.example.net/links")]
    [InlineData("Feeds:HostAliases:0", "")]
    [InlineData("Feeds:Database:Provider", "Oracle")]
    [InlineData("Feeds:Database:ConnectionString", "Host")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_the_key(string key, string value)
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_start_up_naming_the_setting()
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Feeds:Database:Provider"] = "Postgres" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Feeds:Database:ConnectionString", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeding_loads_the_sample_posts_into_an_empty_database_once()
    {
        var settings = new Dictionary<string, string?> { ["Feeds:SeedSamples"] = "true" };
        var dataDirectory = TempDirectory.Create();
        int first;
        using (var server = new FeedsServer(dataDirectory, settings))
        {
            first = await server.CreateAuthorizedClient().CountAsync();
            var tags = await server.CreateClient().GetFromJsonAsync<JsonElement>("/api/tags");
            Assert.True(tags.GetArrayLength() >= 12, $"only {tags.GetArrayLength()} tags");
        }

        Assert.True(first >= 40, $"only {first} sample posts");
        using var restarted = new FeedsServer(dataDirectory, settings);
        Assert.Equal(first, await restarted.CreateAuthorizedClient().CountAsync());
    }

    [Fact]
    public async Task Without_a_configured_admin_token_one_is_generated_for_the_owner_only()
    {
        var settings = new Dictionary<string, string?> { ["Feeds:AdminToken"] = "" };
        using var server = new FeedsServer(settings: settings);
        var path = Path.Combine(server.DataDirectory, "admin-token");
        // Read byte for byte, as `curl -H "Authorization: Bearer $(cat data/admin-token)"` does: no byte-order mark.
        var token = System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path)).Trim();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(System.Net.HttpStatusCode.Created, (await server.CreateAuthorizedClient(token).PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid())).StatusCode);
    }
}
