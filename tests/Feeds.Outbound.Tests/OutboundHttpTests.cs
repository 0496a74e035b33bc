using System.Diagnostics;
using System.Net;

namespace Feeds.Outbound.Tests;

public sealed class OutboundHttpTests
{
    private static readonly OutboundOptions Strict = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static readonly OutboundOptions SelfHosted = Strict with { AllowPrivateNetworks = true };

    /// <summary>Spellings of this machine; {port} is a listener that must never see a connection.</summary>
    public static TheoryData<string> LocalTargets =>
    [
        "http://127.0.0.1:{port}/",
        "http://127.0.0.2:{port}/",
        "http://localhost:{port}/",
        "http://LOCALHOST:{port}/",
        "http://0.0.0.0:{port}/",
        "http://0:{port}/",
        "http://[::1]:{port}/",
        "http://[0:0:0:0:0:0:0:1]:{port}/",
        "http://[::]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://[::ffff:7f00:1]:{port}/",
        "http://[::127.0.0.1]:{port}/",
        "http://2130706433:{port}/",
        "http://0x7f000001:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://0x7f.0.0.1:{port}/",
        "http://127.1:{port}/",
        "https://127.0.0.1:{port}/",
    ];

    /// <summary>Addresses off this machine (or nowhere); the fence guarantees no packet is sent even if the policy failed.</summary>
    public static TheoryData<string> RemoteTargets =>
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://198.18.0.1/",
        "http://192.0.0.1/",
        "http://192.0.2.1/",
        "http://192.88.99.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[fe80::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[fc00::1]/",
        "http://[fd00:ec2::254]/",
        "http://[fec0::1]/",
        "http://[ff02::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[64:ff9b:1::808:808]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[2001:db8::1]/",
        "http://[3fff::1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://[2002:7f00:1::1]/",
        "http://[100::1]/",
    ];

    [Theory]
    [MemberData(nameof(LocalTargets))]
    public async Task Local_targets_are_refused_without_connecting(string template)
    {
        using var canary = new ConnectionCanary();
        var fence = new LoopbackFence();
        using var client = fence.Client(Strict);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync(template.Replace("{port}", canary.Port.ToString(), StringComparison.Ordinal), TestContext.Current.CancellationToken));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(canary.WasContacted);
        Assert.Empty(fence.Refused);
    }

    [Theory]
    [MemberData(nameof(RemoteTargets))]
    public async Task Internal_and_special_targets_are_refused_before_any_connect(string url)
    {
        var fence = new LoopbackFence();
        using var client = fence.Client(Strict);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url, TestContext.Current.CancellationToken));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.Empty(fence.Refused);
        Assert.True(clock.Elapsed < Strict.ConnectTimeout, $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("ip6-localhost")]
    [InlineData("ip6-loopback")]
    public async Task Names_for_ipv6_loopback_are_refused_when_the_hosts_file_has_them(string name)
    {
        var hosts = File.Exists("/etc/hosts") ? await File.ReadAllTextAsync("/etc/hosts", TestContext.Current.CancellationToken) : string.Empty;
        if (!hosts.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Contains(name))
        {
            Assert.Skip($"{name} is not in the hosts file, and looking it up would query a DNS server.");
        }

        using var canary = new ConnectionCanary();
        using var client = new LoopbackFence().Client(Strict);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync($"http://{name}:{canary.Port}/", TestContext.Current.CancellationToken));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(canary.WasContacted);
    }

    [Fact]
    public async Task With_private_networks_allowed_a_loopback_server_answers()
    {
        await using var server = LoopbackServer.Responding("200 OK", "hello");
        using var client = new LoopbackFence().Client(SelfHosted);

        var body = await client.GetStringAsync(server.Url(), TestContext.Current.CancellationToken);

        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task A_redirect_is_returned_to_the_caller_not_followed()
    {
        await using var target = LoopbackServer.Responding("200 OK", "followed");
        await using var server = LoopbackServer.Responding("302 Found", string.Empty, $"Location: {target.Url()}");
        using var client = new LoopbackFence().Client(SelfHosted);

        using var response = await client.GetAsync(server.Url(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(target.Url(), response.Headers.Location);
        Assert.Equal(0, target.Connections);
    }

    [Fact]
    public async Task With_private_networks_allowed_metadata_and_unspecified_addresses_stay_blocked()
    {
        using var canary = new ConnectionCanary();
        var fence = new LoopbackFence();
        using var client = fence.Client(SelfHosted);

        foreach (var url in new[] { "http://169.254.169.254/", $"http://0.0.0.0:{canary.Port}/", "http://[fe80::1]/" })
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url, TestContext.Current.CancellationToken));
            Assert.IsType<BlockedAddressException>(error.InnerException);
        }

        Assert.False(canary.WasContacted);
        Assert.Empty(fence.Refused);
    }

    [Theory]
    [InlineData("http://1.1.1.1:22/")]
    [InlineData("http://1.1.1.1:6379/")]
    [InlineData("https://1.1.1.1:25/")]
    public async Task A_public_address_on_a_refused_port_is_refused_before_any_connect(string url)
    {
        var fence = new LoopbackFence();
        using var client = fence.Client(Strict with { AllowedPorts = OutboundPorts.Parse("80, 443, 8000-9000") });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url, TestContext.Current.CancellationToken));

        Assert.IsType<BlockedPortException>(error.InnerException);
        Assert.Equal("blocked_port", OutboundError.FromException(error).Code);
        Assert.Empty(fence.Refused);
    }

    [Fact]
    public async Task A_server_on_a_port_outside_the_list_is_never_contacted()
    {
        await using var server = LoopbackServer.Responding("200 OK", "hello");
        using var client = new LoopbackFence().Client(SelfHosted with { AllowedPorts = OutboundPorts.Parse("80, 443") });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.Url(), TestContext.Current.CancellationToken));

        Assert.IsType<BlockedPortException>(error.InnerException);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Https_only_refuses_plain_http_without_connecting()
    {
        await using var server = LoopbackServer.Responding("200 OK", "hello");
        using var client = new LoopbackFence().Client(SelfHosted with { HttpsOnly = true });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.Url(), TestContext.Current.CancellationToken));

        Assert.IsType<HttpsRequiredException>(error.InnerException);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task A_request_for_http3_is_held_to_tcp_where_the_address_check_applies()
    {
        await using var server = LoopbackServer.Responding("200 OK", "over tcp");
        using var client = new LoopbackFence().Client(SelfHosted);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url())
        {
            Version = HttpVersion.Version30,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("over tcp", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task The_production_handler_connects_to_an_allowed_loopback_server()
    {
        await using var server = LoopbackServer.Responding("200 OK", "direct");
        using var client = OutboundHttp.CreateClient(SelfHosted);

        Assert.Equal("direct", await client.GetStringAsync(server.Url(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_production_handler_refuses_loopback_by_default()
    {
        using var canary = new ConnectionCanary();
        using var client = OutboundHttp.CreateClient(Strict);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync($"http://127.0.0.1:{canary.Port}/", TestContext.Current.CancellationToken));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(canary.WasContacted);
    }
}
