using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests.ActivityPub;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>A POST to one of the peer's inboxes, as it arrived.</summary>
public sealed record InboxDelivery(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Activity => JsonDocument.Parse(Body).RootElement;

    public string Type => Activity.GetProperty("type").GetString()!;

    /// <summary>The <c>keyId</c> its <c>Signature</c> header names.</summary>
    public string KeyId
    {
        get
        {
            var signature = Headers["signature"];
            var start = signature.IndexOf("keyId=\"", StringComparison.Ordinal) + 7;
            return signature[start..signature.IndexOf('"', start)];
        }
    }
}

/// <summary>
/// Another fediverse server, as Mastodon behaves, written for the tests: a real HTTP server on 127.0.0.1 with actors
/// (<c>/users/{name}</c>, each with an RSA key, a personal inbox and the server's shared inbox <c>/inbox</c>) that
/// resolves accounts with WebFinger, fetches actors, and sends and receives activities signed with python3-httpsig.
/// Like Mastodon, it shows an account (<see cref="HomeTimeline"/>) only what comes from actors it follows: a
/// <c>Create</c> by one of them, or a boost (<c>Announce</c>) by one of them of a note it fetches by its id.
/// </summary>
public sealed class MastodonPeer : LoopbackSite
{
    private readonly ConcurrentQueue<InboxDelivery> _received = new();
    private readonly ConcurrentDictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _following = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonElement> _boosted = new(StringComparer.Ordinal);
    private readonly HttpClient _client = new();

    private MastodonPeer()
    {
    }

    /// <summary>The POSTs to the peer's inboxes it answered, in the order they came; those cut off before the answer are not.</summary>
    public IReadOnlyList<InboxDelivery> Received => [.. _received];

    /// <summary>How the inboxes answer a POST to a path (a status code, possibly after a wait); 202 unless set.</summary>
    public Func<string, Task<int>> Answer { get; set; } = _ => Task.FromResult(StatusCodes.Status202Accepted);

    /// <summary>Requests for actor documents, counted: how often the site fetched a key.</summary>
    public int ActorFetches => _actorFetches;

    private int _actorFetches;

    public static async Task<MastodonPeer> StartAsync()
    {
        var peer = new MastodonPeer();
        await peer.ListenAsync();
        return peer;
    }

    public string ActorId(string name) => Url("users/" + name);

    public string KeyId(string name) => ActorId(name) + "#main-key";

    public string PrivateKeyPem(string name) => Key(name).ExportPkcs8PrivateKeyPem();

    private RSA Key(string name) => _keys.GetOrAdd(name, _ => RSA.Create(2048));

    /// <summary>Gives <paramref name="name"/> a new key pair under the same key id, as an account moved to new keys does.</summary>
    public void RotateKey(string name) => _keys[name] = RSA.Create(2048);

    /// <summary>Resolves <paramref name="account"/> (<c>name@host</c>) with WebFinger and returns the actor's id (its <c>self</c> link).</summary>
    public async Task<string> ResolveAsync(Uri site, string account)
    {
        var answer = await _client.GetFromJsonElementAsync(new Uri(site, "/.well-known/webfinger?resource=" + Uri.EscapeDataString("acct:" + account)));
        return answer.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self").GetProperty("href").GetString()!;
    }

    public Task<JsonElement> FetchActorAsync(string actorId) => FetchObjectAsync(actorId);

    /// <summary>GETs an ActivityStreams object by its id, as <c>application/activity+json</c>.</summary>
    public async Task<JsonElement> FetchObjectAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, id);
        request.Headers.Accept.ParseAdd("application/activity+json");
        using var response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>A Follow of <paramref name="target"/> by <paramref name="name"/>, as Mastodon writes one.</summary>
    public JsonObject Follow(string name, string target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = ActorId(name) + "#follows/" + Guid.NewGuid().ToString("N"),
        ["type"] = "Follow",
        ["actor"] = ActorId(name),
        ["object"] = target,
    };

    /// <summary>Notes that <paramref name="name"/> follows <paramref name="actorId"/> (its follow was taken).</summary>
    public void Follows(string name, string actorId) => _following.GetOrAdd(name, _ => new(StringComparer.Ordinal))[actorId] = true;

    /// <summary>
    /// The ids of the notes <paramref name="name"/>'s home timeline shows, oldest first: created by an actor it follows,
    /// or boosted by one (the note fetched from its id when the boost came, as Mastodon does), and not deleted or
    /// unboosted since.
    /// </summary>
    public IReadOnlyList<string> HomeTimeline(string name)
    {
        var followed = _following.GetValueOrDefault(name) ?? new ConcurrentDictionary<string, bool>();
        var timeline = new List<string>();
        foreach (var delivery in Received)
        {
            var activity = delivery.Activity;
            var actor = activity.GetProperty("actor").GetString()!;
            var @object = activity.GetProperty("object");
            var objectId = @object.ValueKind == JsonValueKind.String ? @object.GetString()! : @object.GetProperty("id").GetString()!;
            switch (delivery.Type)
            {
                case "Create" when followed.ContainsKey(actor) && !timeline.Contains(objectId):
                    timeline.Add(objectId);
                    break;
                case "Announce" when followed.ContainsKey(actor) && !timeline.Contains(objectId) && _boosted.TryGetValue(objectId, out var note):
                    Assert.Equal("Note", note.GetProperty("type").GetString());
                    timeline.Add(note.GetProperty("id").GetString()!);
                    break;
                case "Undo" when followed.ContainsKey(actor) && @object.GetProperty("type").GetString() == "Announce":
                    timeline.Remove(@object.GetProperty("object").GetString()!);
                    break;
                case "Delete":
                    timeline.Remove(objectId);
                    break;
            }
        }

        return timeline;
    }

    /// <summary>
    /// POSTs <paramref name="activity"/> to <paramref name="inbox"/> signed by <paramref name="name"/> with python3-httpsig, as
    /// Mastodon signs. <paramref name="date"/> defaults to the site's own <c>Date</c> (so the test reads no clock);
    /// <paramref name="tamper"/> may change the request after it was signed; <paramref name="host"/> is the <c>Host</c> it
    /// names, as a proxy in front of the site would pass it on (the inbox URL's by default).
    /// </summary>
    public Task<HttpResponseMessage> PostSignedAsync(
        string inbox, string name, JsonNode activity, DateTimeOffset? date = null, Action<HttpRequestMessage>? tamper = null, string? keyId = null,
        string? privateKeyPem = null, string? host = null) =>
        PostSignedTextAsync(inbox, name, activity.ToJsonString(), date, tamper, keyId, privateKeyPem, host);

    /// <inheritdoc cref="PostSignedAsync"/>
    public async Task<HttpResponseMessage> PostSignedTextAsync(
        string inbox, string name, string text, DateTimeOffset? date = null, Action<HttpRequestMessage>? tamper = null, string? keyId = null,
        string? privateKeyPem = null, string? host = null)
    {
        var target = new Uri(inbox);
        var body = Encoding.UTF8.GetBytes(text);
        date ??= await SiteDateAsync(target);
        host ??= target.Authority;
        var headers = new Dictionary<string, string>
        {
            ["host"] = host,
            ["date"] = date.Value.ToString("r"),
            ["digest"] = "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body)),
            ["content-type"] = "application/activity+json",
        };
        var signature = await PythonHttpsig.SignAsync(
            privateKeyPem ?? PrivateKeyPem(name), keyId ?? KeyId(name), "POST", target.PathAndQuery, host, headers,
            ["(request-target)", "host", "date", "digest", "content-type"]);

        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        // A large body waits for the server's go-ahead, so a refusal (413) arrives as an answer, not as a connection the
        // server closed while the body was still being written.
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/activity+json");
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Date", headers["date"]);
        request.Headers.TryAddWithoutValidation("Digest", headers["digest"]);
        request.Headers.TryAddWithoutValidation("Signature", signature);
        tamper?.Invoke(request);
        return await _client.SendAsync(request);
    }

    /// <summary>The site's clock as its <c>Date</c> header tells it.</summary>
    public async Task<DateTimeOffset> SiteDateAsync(Uri site)
    {
        using var response = await _client.GetAsync(new Uri(site, "/.well-known/nodeinfo"));
        return response.Headers.Date ?? throw new InvalidOperationException("the site sent no Date");
    }

    /// <summary>Checks a delivery's signature with python3-httpsig against the site's published key, as Mastodon would.</summary>
    public static async Task<(bool Ok, string? Error)> VerifyAsync(InboxDelivery delivery, string sitePublicKeyPem) =>
        await PythonHttpsig.VerifyAsync(
            sitePublicKeyPem, "POST", delivery.Path, delivery.Headers["host"], delivery.Headers,
            ["(request-target)", "host", "date", "digest"]);

    protected override async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith("/users/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _actorFetches);
            var name = path["/users/".Length..];
            context.Response.ContentType = "application/activity+json";
            await context.Response.WriteAsync(Actor(name).ToJsonString());
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            // A request whose sender is gone (a killed process) ends here, unrecorded, once its connection's end is noticed.
            var answer = Answer(path);
            await Task.WhenAny(answer, Task.Delay(Timeout.Infinite, context.RequestAborted));
            if (!context.RequestAborted.IsCancellationRequested)
            {
                var status = await answer;
                var delivery = new InboxDelivery(path + context.Request.QueryString, headers, body);
                if (delivery.Type == "Announce" && delivery.Activity.GetProperty("object") is { ValueKind: JsonValueKind.String } boosted)
                {
                    _boosted[boosted.GetString()!] = await FetchObjectAsync(boosted.GetString()!);
                }

                _received.Enqueue(delivery);
                context.Response.StatusCode = status;
            }

            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private JsonObject Actor(string name) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = ActorId(name),
        ["type"] = "Person",
        ["preferredUsername"] = name,
        ["inbox"] = ActorId(name) + "/inbox",
        ["endpoints"] = new JsonObject { ["sharedInbox"] = Url("inbox") },
        ["publicKey"] = new JsonObject
        {
            ["id"] = KeyId(name),
            ["owner"] = ActorId(name),
            ["publicKeyPem"] = Key(name).ExportSubjectPublicKeyInfoPem(),
        },
    };
}

internal static class JsonClient
{
    public static async Task<JsonElement> GetFromJsonElementAsync(this HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
