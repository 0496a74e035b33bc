using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Feeds.Core.ActivityPub;
using Feeds.Outbound;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Fetches the actors that sign requests to the inbox, by the <c>keyId</c> of their signature, through the SSRF-safe
/// client (so a key URL on a private network is never fetched unless allowed), signed by the site as Mastodon's
/// authorized fetch requires, and keeps them for <see cref="ActivityPubOptions.ActorCacheTime"/>.
/// </summary>
public sealed partial class RemoteActors : IDisposable
{
    private const int MaxActorBytes = 1024 * 1024;

    private readonly HttpClient _client;
    private readonly ActivityPubActors _actors;
    private readonly SiteKey _key;
    private readonly ActivityPubOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RemoteActors> _logger;
    private readonly ConcurrentDictionary<string, (RemoteActor Actor, DateTimeOffset FetchedAt)> _byKeyId = new(StringComparer.Ordinal);

    public RemoteActors(ActivityPubActors actors, SiteKey key, IOptions<ActivityPubOptions> options, TimeProvider clock, ILogger<RemoteActors> logger)
    {
        _actors = actors;
        _key = key;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(8)), disposeHandler: true) { Timeout = _options.Timeout };
    }

    /// <summary>The actor owning <paramref name="keyId"/>: from the cache unless <paramref name="refresh"/>, else fetched; null when it cannot be had.</summary>
    public async Task<RemoteActor?> GetByKeyIdAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (!refresh && _byKeyId.TryGetValue(keyId, out var cached) && now - cached.FetchedAt < _options.ActorCacheTime)
        {
            return cached.Actor;
        }

        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUrl) || (keyUrl.Scheme != Uri.UriSchemeHttps && keyUrl.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var actor = await FetchAsync(new UriBuilder(keyUrl) { Fragment = "" }.Uri, keyId, cancellationToken);
        if (actor is not null)
        {
            _byKeyId[keyId] = (actor, now);
        }

        return actor;
    }

    private async Task<RemoteActor?> FetchAsync(Uri url, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Host = url.IsDefaultPort ? url.IdnHost : url.IdnHost + ":" + url.Port.ToString(CultureInfo.InvariantCulture);
            request.Headers.Date = _clock.GetUtcNow();
            request.Headers.TryAddWithoutValidation("Accept", ActivityStreams.MediaType + ", application/ld+json; profile=\"" + ActivityStreams.Context + "\"");
            request.Headers.TryAddWithoutValidation("User-Agent", ActivityPubSender.UserAgent);
            request.Headers.TryAddWithoutValidation("Signature", _key.Sign(
                _actors.KeyId(ActorRef.Site), "GET", url.PathAndQuery, HttpSignature.GetHeaders,
                name => name switch { "host" => request.Headers.Host, "date" => request.Headers.Date?.ToString("r"), _ => null }));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogFetchRefused(_logger, url, (int)response.StatusCode);
                return null;
            }

            using var body = await BoundedBody.ReadLimitedAsync(response.Content, MaxActorBytes, cancellationToken);
            using var document = JsonDocument.Parse(body.Memory);
            return Read(document.RootElement, keyId);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException or OutboundPolicyException
                                   && !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(_logger, url, e);
            return null;
        }
    }

    /// <summary>Reads an actor document whose <c>publicKey</c> (one, or one of a list) has the id <paramref name="keyId"/>.</summary>
    private static RemoteActor? Read(JsonElement actor, string keyId)
    {
        if (actor.ValueKind != JsonValueKind.Object || Text(actor, "id") is not { } id || Text(actor, "inbox") is not { } inbox
            || !actor.TryGetProperty("publicKey", out var keys))
        {
            return null;
        }

        var candidates = keys.ValueKind == JsonValueKind.Array ? [.. keys.EnumerateArray()] : new[] { keys };
        foreach (var key in candidates)
        {
            if (key.ValueKind == JsonValueKind.Object && Text(key, "id") == keyId && Text(key, "publicKeyPem") is { } pem
                && (Text(key, "owner") ?? id) == id)
            {
                var shared = actor.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
                    ? Text(endpoints, "sharedInbox")
                    : null;
                return new RemoteActor(id, inbox, shared, keyId, pem);
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching the ActivityPub actor {Url} failed")]
    private static partial void LogFetchFailed(ILogger logger, Uri url, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching the ActivityPub actor {Url} was answered {StatusCode}")]
    private static partial void LogFetchRefused(ILogger logger, Uri url, int statusCode);
}
