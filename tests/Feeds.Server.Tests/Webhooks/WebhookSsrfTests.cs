using System.Net.Http.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Webhooks;

/// <summary>
/// With <c>AllowPrivateNetworks</c> off, nothing a user registers may point into this machine or its networks.
/// Every target here is refused before any connection is made: the only traffic these tests cause is to the
/// Feeds server itself on 127.0.0.1, and no name is sent to a DNS server.
/// </summary>
public sealed class WebhookSsrfTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string> BlockedTargets { get; } =
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8080/hook",
        "http://127.1/",
        "http://127.255.255.254/",
        "http://localhost/",
        "http://LOCALHOST:5000/hook",
        "http://0.0.0.0/",
        "http://0/",
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0x7f.0.0.1/",
        "http://0177.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://198.51.100.7/",
        "http://[2001:db8::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "https://user:pass@127.0.0.1/",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
    ];

    [Theory]
    [MemberData(nameof(BlockedTargets))]
    public async Task Registering_an_internal_target_is_refused_naming_url(string url)
    {
        var author = fixture.Server.CreateAuthorizedClient();

        var problem = await (await author.PostAsJsonAsync("/api/webhooks", new { url })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty("url")[0].GetString()!);
    }

    [Fact]
    public async Task Changing_the_url_to_an_internal_target_is_refused_too()
    {
        // Registered with private networks allowed, then checked again by a server that forbids them.
        var dataDirectory = TempDirectory.Create();
        string id;
        using (var permissive = new FeedsServer(dataDirectory, Webhooks.FastSettings()))
        {
            (id, _) = await permissive.CreateAuthorizedClient().SubscribeAsync("http://127.0.0.1:9/hook");
        }

        using var strict = new FeedsServer(dataDirectory);
        var problem = await (await strict.CreateAuthorizedClient().PatchAsJsonAsync($"/api/webhooks/{id}", new { url = "http://[::1]:9/" })).AssertProblemAsync(400);
        Assert.Equal(["url"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_target_that_became_internal_fails_at_connect_time_as_blocked_address()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var dataDirectory = TempDirectory.Create();
        string id;
        using (var permissive = new FeedsServer(dataDirectory, Webhooks.FastSettings()))
        {
            (id, _) = await permissive.CreateAuthorizedClient().SubscribeAsync(receiver.Url("internal"));
        }

        // The same endpoint, now judged by a server that does not allow private networks: the stored URL
        // passes no registration check, so only the connect-time check stands between it and the receiver.
        using var strict = new FeedsServer(dataDirectory, Webhooks.FastSettings(s => s["Feeds:Webhooks:AllowPrivateNetworks"] = "false"));
        var author = strict.CreateAuthorizedClient();
        var ping = await (await author.PostAsync($"/api/webhooks/{id}/ping", null)).ReadJsonAsync();
        await author.CreateAsync(Infrastructure.Posts.Valid("Published while blocked"));

        Assert.False(ping.GetProperty("delivered").GetBoolean());
        Assert.Equal("blocked_address", ping.GetProperty("attempt").GetProperty("errorClass").GetString());
        var attempts = await Webhooks.EventuallyAsync(
            () => author.GetJsonAsync($"/api/webhooks/{id}/attempts"), a => a.GetProperty("items").GetArrayLength() >= 3);
        Assert.All(attempts.GetProperty("items").EnumerateArray(), a => Assert.Equal("blocked_address", a.GetProperty("errorClass").GetString()));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Https_only_refuses_plain_http_endpoints()
    {
        using var server = new FeedsServer(settings: Webhooks.FastSettings(s => s["Feeds:Webhooks:HttpsOnly"] = "true"));

        var problem = await (await server.CreateAuthorizedClient().PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/" })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.Contains("https", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Theory]
    [InlineData("http://1.1.1.1:22/", 22)]
    [InlineData("https://1.1.1.1:25/hook", 25)]
    [InlineData("http://1.1.1.1:6379/", 6379)]
    public async Task Registering_a_public_host_on_a_refused_port_is_refused_naming_url(string url, int port)
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Webhooks:AllowedPorts"] = "80, 443, 1024-6000" });

        var problem = await (await server.CreateAuthorizedClient().PostAsJsonAsync("/api/webhooks", new { url })).AssertProblemAsync(400);

        Assert.Equal(["url"], problem.ErrorFields());
        Assert.StartsWith($"Port {port} is not one requests may be sent to", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_on_a_port_no_longer_allowed_fails_at_connect_time_as_blocked_port()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var dataDirectory = TempDirectory.Create();
        string id;
        using (var permissive = new FeedsServer(dataDirectory, Webhooks.FastSettings()))
        {
            (id, _) = await permissive.CreateAuthorizedClient().SubscribeAsync(receiver.Url("ported"));
        }

        using var strict = new FeedsServer(dataDirectory, Webhooks.FastSettings(s => s["Feeds:Webhooks:AllowedPorts"] = "80, 443"));
        var ping = await (await strict.CreateAuthorizedClient().PostAsync($"/api/webhooks/{id}/ping", null)).ReadJsonAsync();

        Assert.False(ping.GetProperty("delivered").GetBoolean());
        Assert.Equal("blocked_port", ping.GetProperty("attempt").GetProperty("errorClass").GetString());
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_and_a_blocked_address_get_different_answers_naming_url()
    {
        var author = fixture.Server.CreateAuthorizedClient();

        var unresolvable = await (await author.PostAsJsonAsync("/api/webhooks", new { url = $"https://{Unresolvable}/hook" })).AssertProblemAsync(400);
        var blocked = await (await author.PostAsJsonAsync("/api/webhooks", new { url = "http://localhost/hook" })).AssertProblemAsync(400);

        Assert.Equal($"The host name {Unresolvable} does not resolve to any address.", unresolvable.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Equal(
            "The host name localhost resolves to 127.0.0.1, and 127.0.0.1 is a loopback address (127.0.0.0/8); requests there are not allowed.",
            blocked.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Theory]
    [InlineData("/api/webhooks")]
    [InlineData("/api/sources")]
    public async Task Without_a_token_a_url_is_never_judged_so_unresolvable_and_blocked_look_alike(string route)
    {
        var anonymous = fixture.Server.CreateClient();
        var answers = new List<string>();

        foreach (var url in (string[])[$"https://{Unresolvable}/hook", "http://localhost/hook", "http://1.1.1.1:22/", "https://1.1.1.1/"])
        {
            var response = await anonymous.PostAsJsonAsync(route, new { url });
            await response.AssertProblemAsync(401);
            var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            problem.Remove("traceId");
            answers.Add(problem.ToJsonString());
        }

        Assert.Single(answers.Distinct());
    }

    /// <summary>A label longer than 63 octets cannot be put in a DNS query, so the resolver fails it without sending one.</summary>
    private static readonly string Unresolvable = new string('x', 64) + ".invalid";
}
