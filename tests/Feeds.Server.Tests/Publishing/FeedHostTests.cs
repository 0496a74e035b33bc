using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// Only the configured hosts (Feeds:BaseUrl's and Feeds:HostAliases) shape the URLs of served documents: any other
/// Host, or X-Forwarded-Host from a trusted proxy naming another host, gets the canonical document, which a shared
/// cache may then store without harm.
/// </summary>
public sealed class FeedHostTests : IDisposable
{
    private const string Alias = "feeds.example.net";
    private const string Spoofed = "evil.example";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private readonly FeedsServer _server;
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public FeedHostTests()
    {
        _server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:HostAliases:0"] = Alias });
        _author = _server.CreateAuthorizedClient();
        _reader = _server.CreateClient();
    }

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public async Task A_spoofed_host_gets_the_canonical_document(string format)
    {
        var canonical = await PublishedAsync(format);

        var spoofed = await GetAsync($"/everything.{format}", request => request.Headers.Host = Spoofed);

        Assert.Equal(canonical, spoofed);
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public async Task A_forwarded_host_from_a_trusted_proxy_that_is_not_configured_gets_the_canonical_document(string format)
    {
        var canonical = await PublishedAsync(format);

        // The test's own peer address is loopback, which is trusted as a proxy.
        var spoofed = await GetAsync($"/everything.{format}", request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", Spoofed);
        });

        Assert.Equal(canonical, spoofed);
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public async Task A_configured_alias_gets_its_own_self_link_and_every_other_link_stays_canonical(string format)
    {
        await PublishedAsync(format);

        var direct = await GetAsync($"/everything.{format}", request => request.Headers.Host = Alias);
        var proxied = await GetAsync($"/everything.{format}", request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", Alias);
        });

        Assert.Equal($"http://{Alias}/everything.{format}", SelfLink(format, direct));
        Assert.Equal($"https://{Alias}/everything.{format}", SelfLink(format, proxied));
        Assert.DoesNotContain($"{Alias}/20", direct, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_page_asked_for_at_a_spoofed_host_links_only_to_the_site()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "1" });
        var author = server.CreateAuthorizedClient();
        var reader = server.CreateClient();
        await author.PublishAsync("Older");
        await author.PublishAsync("Newer");
        await reader.WaitForTitleAsync("/everything.atom", "Newer", Soon);
        var next = new Uri((await reader.GetAtomAsync("/everything.atom")).Link("next")!).PathAndQuery;

        using var request = new HttpRequestMessage(HttpMethod.Get, next);
        request.Headers.Host = Spoofed;
        var page = await (await reader.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("Older", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Spoofed, page, StringComparison.Ordinal);
        Assert.Equal(server.Address + next.TrimStart('/'), XDocument.Parse(page).Link("self"));
    }

    [Fact]
    public async Task An_untrusted_peer_chooses_no_host_with_forwarded_headers_nor_with_host()
    {
        var address = NonLoopbackAddress();
        Assert.SkipWhen(address is null, "this machine has no address but loopback, so no peer here is untrusted");
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:HostAliases:0"] = Alias }, alsoListenOn: address);
        await server.CreateAuthorizedClient().PublishAsync("Untrusted");
        await server.CreateClient().WaitForTitleAsync("/everything.atom", "Untrusted", Soon);
        var canonical = await server.CreateClient().GetStringAsync("/everything.atom");

        using var untrusted = new HttpClient { BaseAddress = new Uri($"http://{address}:{server.Address.Port}") };
        foreach (var host in new[] { null, Spoofed })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/everything.atom");
            request.Headers.Host = host;
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", Alias);

            Assert.Equal(canonical, await (await untrusted.SendAsync(request)).Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_openapi_document_names_the_configured_server_whatever_the_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = Spoofed;

        var document = JsonDocument.Parse(await (await _reader.SendAsync(request)).Content.ReadAsStringAsync());

        var servers = document.RootElement.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToArray();
        Assert.All(servers, url => Assert.StartsWith(_server.Address.ToString().TrimEnd('/'), url, StringComparison.Ordinal));
    }

    private async Task<string> PublishedAsync(string format)
    {
        await _author.PublishAsync("Hosted");
        await _reader.WaitForTitleAsync($"/everything.{format}", "Hosted", Soon);
        return await _reader.GetStringAsync($"/everything.{format}");
    }

    private async Task<string> GetAsync(string path, Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        shape(request);
        var response = await _reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string? SelfLink(string format, string body)
    {
        if (format == "json")
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("feed_url").GetString();
        }

        var root = XDocument.Parse(body).Root!;
        var links = format == "rss" ? root.Element("channel")!.Elements(FeedClient.Atom + "link") : root.Elements(FeedClient.Atom + "link");
        return (string?)links.FirstOrDefault(l => (string?)l.Attribute("rel") == "self")?.Attribute("href");
    }

    private static IPAddress? NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
