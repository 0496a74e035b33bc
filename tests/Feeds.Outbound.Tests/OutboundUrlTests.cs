
namespace Feeds.Outbound.Tests;

public sealed class OutboundUrlTests
{
    private static readonly OutboundOptions Strict = new();

    private static Task<OutboundUrlCheck> Check(string? url, OutboundOptions? options = null) =>
        OutboundUrl.CheckAsync(url, options ?? Strict, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_public_https_url_is_accepted()
    {
        var check = await Check("https://1.1.1.1/hooks/feeds");

        Assert.True(check.IsAcceptable, check.Problem);
        Assert.Equal(new Uri("https://1.1.1.1/hooks/feeds"), check.Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_missing_url_is_refused(string? url) =>
        Assert.Equal("A URL is required.", (await Check(url)).Problem);

    [Theory]
    [InlineData("example.com/hook")]
    [InlineData("/hooks/feeds")]
    [InlineData("http://exa mple.com/")]
    public async Task A_relative_or_malformed_url_is_refused(string url) =>
        Assert.Matches("not a valid absolute URL|must start with http", (await Check(url)).Problem);

    [Theory]
    [InlineData("ftp://example.com/feed.xml", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("gopher://example.com/", "gopher")]
    [InlineData("javascript:alert(1)", "javascript")]
    public async Task Schemes_other_than_http_and_https_are_refused(string url, string scheme) =>
        Assert.Equal($"The URL must start with http:// or https://, not {scheme}:.", (await Check(url)).Problem);

    [Fact]
    public async Task Https_only_refuses_plain_http() =>
        Assert.Equal(
            "The URL must use https://; plain http is not allowed on this server.",
            (await Check("http://1.1.1.1/", Strict with { HttpsOnly = true })).Problem);

    [Theory]
    [InlineData("https://user:secret@1.1.1.1/")]
    [InlineData("https://user@1.1.1.1/")]
    public async Task Credentials_in_the_url_are_refused(string url) =>
        Assert.Equal("The URL must not contain a user name or password (the part before @).", (await Check(url)).Problem);

    [Fact]
    public async Task An_unresolvable_host_is_refused_with_its_name() =>
        Assert.Equal(
            $"The host name {Unresolvable.Host} does not resolve to any address.",
            (await Check($"https://{Unresolvable.Host}/hook")).Problem);

    [Theory]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1 is a loopback address (127.0.0.0/8)")]
    [InlineData("http://2130706433/", "127.0.0.1 is a loopback address (127.0.0.0/8)")]
    [InlineData("http://10.1.2.3/", "10.1.2.3 is a private network address (10.0.0.0/8)")]
    [InlineData("http://169.254.169.254/", "169.254.169.254 is a cloud instance metadata service")]
    [InlineData("http://[::1]/", "::1 is the loopback address (::1)")]
    [InlineData("http://[fd00::5]/", "fd00::5 is a unique local address (fc00::/7)")]
    public async Task A_blocked_address_is_refused_with_the_reason(string url, string reason) =>
        Assert.Equal($"The URL points to {reason}; requests there are not allowed.", (await Check(url)).Problem);

    [Fact]
    public async Task A_name_resolving_to_a_blocked_address_is_refused_naming_both() =>
        Assert.Equal(
            "The host name localhost resolves to 127.0.0.1, and 127.0.0.1 is a loopback address (127.0.0.0/8); requests there are not allowed.",
            (await Check("http://localhost:8080/hook")).Problem);

    [Fact]
    public async Task With_private_networks_allowed_a_local_name_is_accepted() =>
        Assert.True((await Check("http://localhost:8080/hook", Strict with { AllowPrivateNetworks = true })).IsAcceptable);

    [Fact]
    public async Task With_private_networks_allowed_the_metadata_service_is_still_refused() =>
        Assert.False((await Check("http://169.254.169.254/", Strict with { AllowPrivateNetworks = true })).IsAcceptable);

    [Theory]
    [InlineData("http://1.1.1.1:22/", 22)]
    [InlineData("https://1.1.1.1:25/hook", 25)]
    [InlineData("http://1.1.1.1:1023/", 1023)]
    [InlineData("http://1.1.1.1:6379/", 6379)]
    public async Task A_port_outside_the_allowed_list_is_refused_naming_it(string url, int port)
    {
        var check = await Check(url, Strict with { AllowedPorts = OutboundPorts.Parse("80, 443, 1024-6000") });

        Assert.Equal($"Port {port} is not one requests may be sent to on this server (allowed: 80, 443, 1024-6000).", check.Problem);
    }

    [Theory]
    [InlineData("http://1.1.1.1/")]
    [InlineData("https://1.1.1.1/")]
    [InlineData("http://1.1.1.1:443/")]
    [InlineData("https://1.1.1.1:8443/")]
    [InlineData("http://1.1.1.1:65535/")]
    public async Task The_web_ports_and_ports_from_1024_are_allowed_by_default(string url) =>
        Assert.True((await Check(url)).IsAcceptable);

    [Fact]
    public async Task A_refused_port_is_refused_before_the_name_is_looked_up() =>
        Assert.StartsWith("Port 22 is not one", (await Check($"https://{Unresolvable.Host}:22/")).Problem);

    [Fact]
    public async Task An_unresolvable_name_and_a_blocked_address_are_told_apart()
    {
        var unresolvable = (await Check($"https://{Unresolvable.Host}/hook")).Problem;
        var blocked = (await Check("http://localhost/hook")).Problem;

        Assert.EndsWith("does not resolve to any address.", unresolvable);
        Assert.DoesNotContain("not allowed", unresolvable);
        Assert.EndsWith("requests there are not allowed.", blocked);
    }
}
