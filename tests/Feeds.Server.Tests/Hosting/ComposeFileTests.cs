using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests;

namespace Feeds.Server.Tests.Hosting;

/// <summary>
/// The two compose files as Compose itself reads them (Debian's <c>docker-compose</c>, which resolves and checks a file
/// without a Docker daemon), and the nodes' health check run against a live node: what can be known of the topology on
/// a machine without Docker.
/// </summary>
public sealed class ComposeFileTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["FEEDS_ADMIN_TOKEN"] = "compose-test-admin-token-0123456789",
        ["POSTGRES_PASSWORD"] = "compose-test-password",
        ["FEEDS_BASE_URL"] = "https://links.example",
    };

    [Theory]
    [InlineData("docker-compose.yml")]
    [InlineData("docker-compose.single.yml")]
    public async Task A_compose_file_is_valid_and_refuses_to_start_without_the_admin_token(string file)
    {
        var valid = await ComposeAsync(file, Secrets, "config", "--quiet");
        var withoutToken = await ComposeAsync(file, Secrets.Where(s => s.Key != "FEEDS_ADMIN_TOKEN").ToDictionary(), "config", "--quiet");

        Assert.True(valid.ExitCode == 0, valid.Stderr);
        Assert.NotEqual(0, withoutToken.ExitCode);
        Assert.Contains("set FEEDS_ADMIN_TOKEN", withoutToken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_is_postgres_two_nodes_and_nginx_each_checked_for_health_with_a_volume_for_each_stateful_service()
    {
        var services = (await ResolvedAsync("docker-compose.yml")).GetProperty("services");

        Assert.Equal(["feeds-a", "feeds-b", "nginx", "postgres"], services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(services.EnumerateObject(), s => Assert.True(s.Value.TryGetProperty("healthcheck", out _), $"{s.Name} has no health check"));
        Assert.Contains("postgres-data:/var/lib/postgresql/data:rw", Volumes(services.GetProperty("postgres")));
        foreach (var node in new[] { "feeds-a", "feeds-b" })
        {
            var service = services.GetProperty(node);
            var environment = service.GetProperty("environment");
            Assert.Equal("Postgres", environment.GetProperty("Feeds__Database__Provider").GetString());
            Assert.Equal("Host=postgres;Database=feeds;Username=feeds;Password=compose-test-password", environment.GetProperty("Feeds__Database__ConnectionString").GetString());
            Assert.Equal("/srv/feeds/static", environment.GetProperty("Feeds__Publishing__StaticDirectory").GetString());
            Assert.Contains($"{node}-data:/data:rw", Volumes(service));
            Assert.Contains("feeds-static:/srv/feeds/static:rw", Volumes(service));
            Assert.Equal("service_healthy", service.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString());
        }

        var nginx = services.GetProperty("nginx");
        Assert.Contains("feeds-static:/srv/feeds/static:ro", Volumes(nginx));
        Assert.Equal(
            nginx.GetProperty("networks").GetProperty("feeds").GetProperty("ipv4_address").GetString(),
            services.GetProperty("feeds-a").GetProperty("environment").GetProperty("Feeds__Publishing__TrustedProxies__0").GetString());
        Assert.All(new[] { "feeds-a", "feeds-b" }, node =>
            Assert.Equal("service_healthy", nginx.GetProperty("depends_on").GetProperty(node).GetProperty("condition").GetString()));
        // nginx resolves the nodes' names when it starts: a node recreated must keep its address.
        Assert.Equal(
            ["172.30.0.11", "172.30.0.12"],
            new[] { "feeds-a", "feeds-b" }.Select(node => services.GetProperty(node).GetProperty("networks").GetProperty("feeds").GetProperty("ipv4_address").GetString()));
    }

    [Theory]
    [InlineData("docker-compose.yml", "feeds-a")]
    [InlineData("docker-compose.single.yml", "feeds")]
    public async Task A_node_s_health_check_passes_against_a_running_node_and_fails_where_none_answers(string file, string service)
    {
        var test = (await ResolvedAsync(file)).GetProperty("services").GetProperty(service).GetProperty("healthcheck").GetProperty("test")
            .EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.Equal(["CMD", "bash", "-c"], test[..3]);
        Assert.Contains("127.0.0.1/8080", test[3], StringComparison.Ordinal);

        // The image's node listens on 8080; here the check is pointed at the test's node, then at a port nobody holds.
        var live = await ExternalTools.RunAsync("bash", ["-c", test[3].Replace("8080", fixture.Server.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)], TimeSpan.FromSeconds(10));
        var none = await ExternalTools.RunAsync("bash", ["-c", test[3].Replace("8080", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)], TimeSpan.FromSeconds(10));

        Assert.True(live.ExitCode == 0, $"the health check failed against a running node: {live.Stderr}");
        Assert.NotEqual(0, none.ExitCode);
    }

    private static IEnumerable<string> Volumes(JsonElement service) => service.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()!);

    /// <summary><paramref name="file"/> as Compose resolves it with the secrets set: anchors merged, variables filled in.</summary>
    private static async Task<JsonElement> ResolvedAsync(string file)
    {
        var resolved = await ComposeAsync(file, Secrets, "config");
        Assert.True(resolved.ExitCode == 0, resolved.Stderr);
        // docker-compose writes YAML; its own dependency, PyYAML, turns it into JSON.
        var json = await ExternalTools.RunAsync("python3", ["-c", $"import json, yaml; print(json.dumps(yaml.safe_load({JsonSerializer.Serialize(resolved.Stdout)})))"]);
        Assert.True(json.ExitCode == 0, json.Stderr);
        return JsonDocument.Parse(json.Stdout).RootElement.Clone();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ComposeAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        Assert.SkipUnless(ExternalTools.OnPath("docker-compose"), "needs docker-compose (apt-get install docker-compose), which reads compose files without Docker");
        // Only the variables given: a secret set in the machine's environment must not stand in for a missing one.
        return await ExternalTools.RunAsync(
            "env",
            ["-i", $"PATH={Environment.GetEnvironmentVariable("PATH")}", .. environment.Select(v => $"{v.Key}={v.Value}"),
             "docker-compose", "--project-directory", ExternalTools.RepositoryRoot, "-f", Path.Combine(ExternalTools.RepositoryRoot, file), .. arguments]);
    }
}
