using System.Net;
using System.Net.Sockets;

namespace Feeds.Outbound.Tests;

public sealed class OutboundErrorTests
{
    private static readonly OutboundOptions SelfHosted = new()
    {
        AllowPrivateNetworks = true,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<OutboundError> FailureOf(OutboundOptions options, string url)
    {
        using var client = new LoopbackFence().Client(options);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(url, TestContext.Current.CancellationToken));
        return OutboundError.FromException(error, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connect_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await FailureOf(SelfHosted, $"http://127.0.0.1:{port}/");

        Assert.Equal("connect", error.Code);
        Assert.Contains("refused", error.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout()
    {
        await using var server = LoopbackServer.Silent();

        var error = await FailureOf(SelfHosted with { RequestTimeout = TimeSpan.FromMilliseconds(300) }, server.Url().ToString());

        Assert.Equal("timeout", error.Code);
    }

    [Fact]
    public async Task An_unresolvable_name_is_a_dns_error() =>
        Assert.Equal("dns", (await FailureOf(SelfHosted, $"http://{Unresolvable.Host}/")).Code);

    [Fact]
    public async Task A_blocked_address_is_a_blocked_address_error()
    {
        using var canary = new ConnectionCanary();

        var error = await FailureOf(SelfHosted with { AllowPrivateNetworks = false }, $"http://127.0.0.1:{canary.Port}/");

        Assert.Equal("blocked_address", error.Code);
        Assert.Equal("127.0.0.1 is a loopback address (127.0.0.0/8); requests there are not allowed.", error.Description);
    }

    [Fact]
    public async Task Plain_http_under_https_only_is_an_https_required_error() =>
        Assert.Equal("https_required", (await FailureOf(SelfHosted with { HttpsOnly = true }, "http://127.0.0.1:9/")).Code);

    [Fact]
    public async Task A_failed_tls_handshake_is_a_tls_error()
    {
        await using var server = LoopbackServer.StartEager(
            (stream, ct) => LoopbackServer.WriteAsync(stream, "400 Bad Request", "not tls"u8.ToArray(), [], ct));

        var error = await FailureOf(SelfHosted, $"https://127.0.0.1:{server.Port}/");

        Assert.Equal("tls", error.Code);
    }

    [Fact]
    public async Task A_cancellation_the_caller_asked_for_is_not_a_timeout()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var error = OutboundError.FromException(new TaskCanceledException(), cancelled.Token);

        Assert.Equal("other", error.Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "HTTP 503 Service Unavailable")]
    [InlineData(HttpStatusCode.NotFound, "HTTP 404 Not Found")]
    [InlineData(HttpStatusCode.MovedPermanently, "HTTP 301 Moved Permanently (redirects are not followed)")]
    public async Task An_unsuccessful_status_is_an_http_status_error(HttpStatusCode status, string description)
    {
        await using var server = LoopbackServer.Responding($"{(int)status} {description[9..].Split(" (")[0]}", string.Empty);
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await client.GetAsync(server.Url(), TestContext.Current.CancellationToken);

        var error = OutboundError.FromResponse(response);

        Assert.NotNull(error);
        Assert.Equal("http_status", error.Code);
        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal(description, error.Description);
    }

    [Fact]
    public async Task A_successful_status_is_no_error()
    {
        await using var server = LoopbackServer.Responding("204 No Content", string.Empty);
        using var client = new LoopbackFence().Client(SelfHosted);
        using var response = await client.GetAsync(server.Url(), TestContext.Current.CancellationToken);

        Assert.Null(OutboundError.FromResponse(response));
    }
}
