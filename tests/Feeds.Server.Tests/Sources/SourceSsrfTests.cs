using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

/// <summary>A server with the default outbound policy, and a real feed on loopback it must not reach.</summary>
public sealed class DefaultPolicySourcesFixture : SourcesFixture
{
    protected override IDictionary<string, string?>? Settings => null;

    protected override Task SeedAsync()
    {
        Upstream.Feed("feed.xml", TestFeeds.Rss("local", "https://local.example/", TestFeeds.Recent("local", 2, Server.Now)));
        return Task.CompletedTask;
    }
}

/// <summary>With <c>AllowPrivateNetworks</c> off, a source can never point into this machine or its networks.</summary>
public sealed class SourceSsrfTests(DefaultPolicySourcesFixture fixture) : IClassFixture<DefaultPolicySourcesFixture>
{
    [Fact]
    public async Task A_feed_on_loopback_is_refused_naming_url_before_any_request()
    {
        var author = fixture.Server.CreateAuthorizedClient();

        var problem = await (await author.PostAsJsonAsync("/api/sources", new { url = fixture.Upstream.Url("feed.xml") })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Contains("loopback", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Empty(fixture.Upstream.RequestsTo("feed.xml"));
        Assert.Equal(0, (await author.GetFromJsonAsync<JsonElement>("/api/sources")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("http://localhost/feed")]
    [InlineData("http://[::1]/feed")]
    [InlineData("http://10.0.0.1/feed")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:127.0.0.1]/feed")]
    [InlineData("file:///etc/passwd")]
    public async Task Internal_targets_are_refused_naming_url(string url)
    {
        var author = fixture.Server.CreateAuthorizedClient();

        var problem = await (await author.PostAsJsonAsync("/api/sources", new { url })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_import_of_a_loopback_feed_reports_it_and_follows_nothing()
    {
        var author = fixture.Server.CreateAuthorizedClient();
        var url = fixture.Upstream.Url("feed.xml");
        var opml = $"""<opml version="2.0"><body><outline text="local" xmlUrl="{url}"/></body></opml>""";

        var summary = await (await author.PostAsync("/api/sources/import", new StringContent(opml, Encoding.UTF8, "text/x-opml"))).ReadJsonAsync();

        Assert.Equal(0, summary.GetProperty("created").GetInt32());
        Assert.Equal([url], summary.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Empty(fixture.Upstream.RequestsTo("feed.xml"));
    }

    [Fact]
    public async Task A_feed_on_a_port_outside_the_allowed_list_is_refused_naming_url_before_any_request()
    {
        using var server = new FeedsServer(settings: SourceTesting.Settings(s => s["Feeds:Sources:AllowedPorts"] = "80, 443"));
        var url = fixture.Upstream.Url("feed.xml");

        var problem = await (await server.CreateAuthorizedClient().PostAsJsonAsync("/api/sources", new { url })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Equal(
            $"Port {new Uri(url).Port} is not one requests may be sent to on this server (allowed: 80, 443).",
            problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Empty(fixture.Upstream.RequestsTo("feed.xml"));
    }
}
