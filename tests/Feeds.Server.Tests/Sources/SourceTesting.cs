using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Sources;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Sources;

/// <summary>A Feeds server allowed to poll loopback, and a real upstream server on loopback, shared by one test class.</summary>
public class SourcesFixture : ServerFixture
{
    public Upstream Upstream { get; private set; } = null!;

    protected override IDictionary<string, string?>? Settings => SourceTesting.Settings(Configure);

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public override async ValueTask InitializeAsync()
    {
        Upstream = await Upstream.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

public static class SourceTesting
{
    /// <summary>Loopback upstreams allowed, a one-minute floor, short timeouts, fast rounds, and the polling job left to the tests.</summary>
    public static Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:Sources:AllowPrivateNetworks"] = "true",
            ["Feeds:Sources:MinIntervalMinutes"] = "1",
            ["Feeds:Sources:DefaultIntervalMinutes"] = "60",
            ["Feeds:Sources:MaxPerHost"] = "8",
            ["Feeds:Sources:MaxPollsPerSecond"] = "1000",
            ["Feeds:Sources:Timeout"] = "00:00:02",
            ["Feeds:Sources:ConnectTimeout"] = "00:00:01",
            ["Feeds:Sources:SweepInterval"] = "01:00:00",
        };
        change?.Invoke(settings);
        return settings;
    }

    public static SourcePoller Poller(this FeedsServer server) => server.Services.GetRequiredService<SourcePoller>();

    /// <summary>Follows a feed and asserts the <c>201</c>.</summary>
    public static async Task<JsonElement> FollowAsync(this HttpClient author, object body)
    {
        var response = await author.PostAsJsonAsync("/api/sources", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"follow failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> RefreshAsync(this HttpClient author, long id)
    {
        var response = await author.PostAsync($"/api/sources/{id}/refresh", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"refresh failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> SourceAsync(this HttpClient author, long id)
    {
        var response = await author.GetAsync($"/api/sources/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"get failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Every post the source made, any status, newest first.</summary>
    public static async Task<List<JsonElement>> PostsOfAsync(this HttpClient author, long sourceId, string status = "any")
    {
        var posts = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await author.GetFromJsonAsync<JsonElement>(
                $"/api/posts?status={status}&sourceId={sourceId}&limit=200" + (cursor is null ? "" : $"&cursor={cursor}"));
            posts.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Clone()));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return posts;
    }

    public static long Id(this JsonElement source) => source.GetProperty("id").GetInt64();

    public static JsonElement Fetch(this JsonElement source) => source.GetProperty("fetch");

    public static DateTimeOffset Time(this JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How long after its last check the source will be polled again.</summary>
    public static TimeSpan Wait(this JsonElement source) => source.Fetch().Time("nextCheckAt") - source.Fetch().Time("lastCheckedAt");
}
