using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.Sources;

/// <summary>A subscription request as the upstream hub received it (WebSub section 5.1).</summary>
public sealed record HubRequest(string Mode, string Topic, string Callback, string? Secret, string? LeaseSeconds);

/// <summary>
/// An upstream WebSub hub written for the tests: a real HTTP server on 127.0.0.1 that records the subscription requests
/// it receives and answers them with <see cref="Answer"/> (<c>202</c> by default). The test then plays the rest of the
/// hub's part itself: verifying intent at the callback, denying, pushing content.
/// </summary>
public sealed class UpstreamHub : LoopbackSite
{
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private static readonly HttpClient Client = new();

    private UpstreamHub()
    {
    }

    public string HubUrl => Url("hub");

    /// <summary>The status the hub answers subscription requests with.</summary>
    public int Answer { get; set; } = StatusCodes.Status202Accepted;

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    public static async Task<UpstreamHub> StartAsync()
    {
        var hub = new UpstreamHub();
        await hub.ListenAsync();
        return hub;
    }

    /// <summary>Waits for the <paramref name="count"/>th request naming <paramref name="topic"/>.</summary>
    public async Task<HubRequest> RequestAsync(string topic, int count = 1)
    {
        Assert.True(await WebSub.TestSubscriber.WaitUntilAsync(() => _requests.Count(r => r.Topic == topic) >= count),
            $"the hub never received request {count} for {topic}");
        return _requests.Where(r => r.Topic == topic).ElementAt(count - 1);
    }

    /// <summary>Verifies intent at the callback (section 5.3) as a hub does; returns the status and body of the answer.</summary>
    public static async Task<(int Status, string Body)> VerifyAsync(string callback, string topic, string challenge, int leaseSeconds, string mode = "subscribe")
    {
        var url = $"{callback}?hub.mode={mode}&hub.topic={Uri.EscapeDataString(topic)}&hub.challenge={Uri.EscapeDataString(challenge)}&hub.lease_seconds={leaseSeconds}";
        using var response = await Client.GetAsync(url);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Tells the callback its subscription was denied (section 5.2).</summary>
    public static async Task<int> DenyAsync(string callback, string topic, string reason)
    {
        using var response = await Client.GetAsync($"{callback}?hub.mode=denied&hub.topic={Uri.EscapeDataString(topic)}&hub.reason={Uri.EscapeDataString(reason)}");
        return (int)response.StatusCode;
    }

    /// <summary>Pushes <paramref name="body"/> to the callback (section 7) with the <c>X-Hub-Signature</c> given, if any.</summary>
    public static async Task<int> PushAsync(string callback, byte[] body, string? signature, string contentType = "application/rss+xml")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = content };
        // A body refused on its declared length is then refused before it is sent, rather than mid-way.
        request.Headers.ExpectContinue = true;
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature", signature);
        }

        using var response = await Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>An <c>X-Hub-Signature</c> computed here, not by the service's code.</summary>
    public static string Sign(string method, string secret, byte[] body)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var mac = method switch
        {
#pragma warning disable CA5350 // Hubs may sign with sha1 (WebSub section 8); the test signs as such a hub does.
            "sha1" => HMACSHA1.HashData(key, body),
#pragma warning restore CA5350
            "sha256" => HMACSHA256.HashData(key, body),
            "sha384" => HMACSHA384.HashData(key, body),
            "sha512" => HMACSHA512.HashData(key, body),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
        return $"{method}={Convert.ToHexStringLower(mac)}";
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        _requests.Enqueue(new HubRequest(
            form["hub.mode"].ToString(), form["hub.topic"].ToString(), form["hub.callback"].ToString(),
            form.TryGetValue("hub.secret", out var secret) ? secret.ToString() : null,
            form.TryGetValue("hub.lease_seconds", out var lease) ? lease.ToString() : null));
        context.Response.StatusCode = Answer;
    }
}
