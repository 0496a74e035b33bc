using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Webhooks;

/// <summary>Settings and API helpers shared by the webhook tests.</summary>
public static class Webhooks
{
    /// <summary>Loopback receivers allowed, and a schedule and timeouts shrunk from hours to fractions of a second.</summary>
    public static Dictionary<string, string?> FastSettings(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:Webhooks:AllowPrivateNetworks"] = "true",
            // Port 9 (discard) stands for an endpoint where nothing listens.
            ["Feeds:Webhooks:AllowedPorts"] = "9, 80, 443, 1024-65535",
            ["Feeds:Webhooks:RetrySchedule"] = "0s, 150ms, 150ms, 150ms",
            ["Feeds:Webhooks:Timeout"] = "00:00:03",
            ["Feeds:Webhooks:ConnectTimeout"] = "00:00:01",
            ["Feeds:Webhooks:SweepInterval"] = "00:00:01",
        };
        change?.Invoke(settings);
        return settings;
    }

    public static async Task<(string Id, string Secret)> SubscribeAsync(this HttpClient author, string url, string[]? tags = null, string[]? events = null)
    {
        var response = await author.PostAsJsonAsync("/api/webhooks", new { url, tags, events });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"subscribe failed: {(int)response.StatusCode} {text}");
        var endpoint = JsonDocument.Parse(text).RootElement;
        return (endpoint.GetProperty("id").GetString()!, endpoint.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value) || waited.Elapsed > limit)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }

    public static object Post(string title, params string[] tags) => Infrastructure.Posts.Valid(title, tags);
}
