using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>Settings and steps the ActivityPub tests share.</summary>
public static class Fediverse
{
    /// <summary>ActivityPub on (the test site is plain http on loopback), peers on loopback reachable, retries quick.</summary>
    public static Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:ActivityPub:Enabled"] = "true",
            ["Feeds:ActivityPub:AllowPrivateNetworks"] = "true",
            ["Feeds:ActivityPub:RetrySchedule"] = "0s, 150ms, 150ms, 150ms",
            ["Feeds:ActivityPub:Timeout"] = "00:00:03",
            ["Feeds:ActivityPub:ConnectTimeout"] = "00:00:01",
            ["Feeds:Delivery:SweepInterval"] = "00:00:01",
        };
        change?.Invoke(settings);
        return settings;
    }

    public static string Domain(this FeedsServer server) => server.Address.Authority;

    /// <summary>The site's public key as its actor document publishes it.</summary>
    public static async Task<string> PublicKeyPemAsync(this MastodonPeer peer, FeedsServer server) =>
        (await peer.FetchActorAsync(new Uri(server.Address, "/ap/actor").ToString())).GetProperty("publicKey").GetProperty("publicKeyPem").GetString()!;

    /// <summary>Follows <paramref name="target"/> (an actor id of the site) as <paramref name="name"/>, sent to the site's shared inbox, and expects 202.</summary>
    public static async Task FollowAsync(this MastodonPeer peer, FeedsServer server, string name, string target)
    {
        using var response = await peer.PostSignedAsync(new Uri(server.Address, "/ap/inbox").ToString(), name, peer.Follow(name, target));
        Assert.True((int)response.StatusCode == 202, $"Follow answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonElement> FollowersAsync(this HttpClient author) =>
        await (await author.GetAsync("/api/activitypub/followers")).ReadJsonAsync();

    public static string[] FollowerIds(this JsonElement list, string actor) =>
        [.. list.GetProperty("actors").EnumerateArray().Where(a => a.GetProperty("actor").GetString() == actor)
            .SelectMany(a => a.GetProperty("followers").EnumerateArray()).Select(f => f.GetProperty("id").GetString()!)];
}
