using System.Net;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.WebSub;

/// <summary>Settings and requests shared by the WebSub tests.</summary>
public static class WebSubHub
{
    /// <summary>Loopback callbacks allowed, leases from a second, retries and sweeps shrunk to fractions of a second.</summary>
    public static Dictionary<string, string?> FastSettings(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:WebSub:AllowPrivateNetworks"] = "true",
            ["Feeds:WebSub:MinLeaseSeconds"] = "1",
            ["Feeds:WebSub:RetrySchedule"] = "0s, 150ms, 150ms, 150ms",
            ["Feeds:WebSub:Timeout"] = "00:00:03",
            ["Feeds:WebSub:ConnectTimeout"] = "00:00:01",
            ["Feeds:Delivery:SweepInterval"] = "00:00:01",
        };
        change?.Invoke(settings);
        return settings;
    }

    /// <summary>Sends a subscription request (section 5.1) with the parameters given; null ones are left out.</summary>
    public static Task<HttpResponseMessage> RequestAsync(
        this HttpClient client, string? mode, string? topic, string? callback, string? leaseSeconds = null, string? secret = null)
    {
        var form = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in new[] { ("hub.mode", mode), ("hub.topic", topic), ("hub.callback", callback), ("hub.lease_seconds", leaseSeconds), ("hub.secret", secret) })
        {
            if (value is not null)
            {
                form.Add(new(name, value));
            }
        }

        return client.PostAsync("/websub", new FormUrlEncodedContent(form));
    }

    /// <summary>Subscribes and waits until the hub lists the subscription as active.</summary>
    public static async Task SubscribeAsync(this HttpClient author, string topic, string callback, string? secret = null, string? leaseSeconds = null)
    {
        var response = await author.RequestAsync("subscribe", topic, callback, leaseSeconds, secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await TestSubscriber.WaitUntilAsync(async () => await author.SubscriberAsync(topic, callback) is { } s && s.GetProperty("state").GetString() == "active"),
            $"{callback} never became an active subscriber of {topic}");
    }

    /// <summary>The subscriber's entry in <c>GET /api/websub/subscriptions</c>, or null.</summary>
    public static async Task<JsonElement?> SubscriberAsync(this HttpClient author, string topic, string callback)
    {
        var list = JsonDocument.Parse(await author.GetStringAsync("/api/websub/subscriptions")).RootElement;
        foreach (var entry in list.GetProperty("topics").EnumerateArray().Where(t => t.GetProperty("topic").GetString() == topic))
        {
            foreach (var subscriber in entry.GetProperty("subscribers").EnumerateArray())
            {
                if (subscriber.GetProperty("callback").GetString() == callback)
                {
                    return subscriber.Clone();
                }
            }
        }

        return null;
    }

    public static string Topic(this FeedsServer server, string path = "everything.atom") => $"{server.Address}{path}";
}
