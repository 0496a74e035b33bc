using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Feeds.Core.ActivityPub;
using Feeds.Data.Delivery;
using Feeds.Outbound;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Delivers one activity to one inbox: a POST of the activity as queued, signed as Mastodon signs (<c>rsa-sha256</c>
/// over <c>(request-target) host date digest content-type</c>) with the key of the actor the activity names. Any 2xx
/// is success; anything else is retried on the schedule.
/// </summary>
public sealed class ActivityPubSender : IDeliverySender, IDisposable
{
    public const string DeliveryKind = "activitypub";

    public const string UserAgent = "Feeds-ActivityPub/1.0 (+https://www.w3.org/TR/activitypub/)";

    private readonly SiteKey _key;
    private readonly ActivityPubActors _actors;
    private readonly ActivityPubOptions _options;
    private readonly TimeProvider _clock;
    private readonly RetrySchedule _schedule;
    private readonly HttpClient _client;

    public ActivityPubSender(SiteKey key, ActivityPubActors actors, IOptions<ActivityPubOptions> options, IOptions<DeliveryOptions> delivery, TimeProvider clock)
    {
        _key = key;
        _actors = actors;
        _options = options.Value;
        _clock = clock;
        _schedule = new RetrySchedule(_options.Schedule, _options.Jitter, TimeSpan.FromHours(24));
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(delivery.Value.GlobalConcurrency)), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Kind => DeliveryKind;

    public async Task<DeliveryRecord> AttemptAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (!Uri.TryCreate(delivery.Destination, UriKind.Absolute, out var inbox))
        {
            return RetrySchedule.GiveUp(delivery, now, "The inbox is not an absolute URL.");
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityStreams.MediaType);
        request.Headers.Host = inbox.IsDefaultPort ? inbox.IdnHost : inbox.IdnHost + ":" + inbox.Port.ToString(CultureInfo.InvariantCulture);
        request.Headers.Date = now;
        request.Headers.TryAddWithoutValidation("Digest", HttpSignature.Digest(body));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Signature", _key.Sign(
            KeyIdOf(delivery.Payload), "POST", inbox.PathAndQuery, HttpSignature.PostHeaders, name => name switch
            {
                "host" => request.Headers.Host,
                "date" => now.ToString("r", CultureInfo.InvariantCulture),
                "digest" => HttpSignature.Digest(body),
                "content-type" => ActivityStreams.MediaType,
                _ => null,
            }));

        var sent = await HttpAttempt.SendAsync(_client, request, _options.Timeout, _clock, cancellationToken);
        return _schedule.Decide(delivery, sent);
    }

    /// <summary>The key of the activity's actor, so the signer is the actor a receiver checks against; the site's by default.</summary>
    private string KeyIdOf(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.TryGetProperty("actor", out var actor) && actor.ValueKind == JsonValueKind.String)
            {
                return actor.GetString() + "#main-key";
            }
        }
        catch (JsonException)
        {
        }

        return _actors.KeyId(ActorRef.Site);
    }

    public void Dispose() => _client.Dispose();
}
