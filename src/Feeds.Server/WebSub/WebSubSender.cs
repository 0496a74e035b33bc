using System.Net;
using System.Net.Http.Headers;
using Feeds.Core.Syndication;
using Feeds.Core.WebSub;
using Feeds.Data.Delivery;
using Feeds.Data.Feeds;
using Feeds.Data.WebSub;
using Feeds.Outbound;
using Feeds.Server.Delivery;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Distributes a topic's document to one subscriber (WebSub section 7): the document as it is when the attempt is
/// made, so a subscriber whose distribution waited gets the latest, with its content type, <c>Link</c> headers naming
/// the hub and the topic, and <c>X-Hub-Signature</c> when the subscriber gave a secret. Any 2xx is success; a
/// <c>410 Gone</c> ends the subscription; anything else is retried on the schedule.
/// </summary>
public sealed class WebSubSender : IDeliverySender, IDisposable
{
    public const string UserAgent = "Feeds-WebSub/1.0 (+https://www.w3.org/TR/websub/)";

    private readonly WebSubSubscriptionStore _subscriptions;
    private readonly FeedCache _cache;
    private readonly FeedStore _feeds;
    private readonly WebSubDiscovery _discovery;
    private readonly WebSubOptions _options;
    private readonly TimeProvider _clock;
    private readonly RetrySchedule _schedule;
    private readonly HttpClient _client;

    /// <summary>The body last read from the database per document, for the rest of a fan-out that memory cannot serve.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string FeedKey, string Format), (string ETag, byte[] Body)> _lastSent = new();

    public WebSubSender(
        WebSubSubscriptionStore subscriptions, FeedCache cache, FeedStore feeds, WebSubDiscovery discovery,
        IOptions<WebSubOptions> options, IOptions<DeliveryOptions> delivery, TimeProvider clock)
    {
        _subscriptions = subscriptions;
        _cache = cache;
        _feeds = feeds;
        _discovery = discovery;
        _options = options.Value;
        _clock = clock;
        _schedule = _options.Retries();
        // Many subscribers may share a host; the dispatcher's limits are what bound connections.
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(delivery.Value.GlobalConcurrency)), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Kind => WebSubSubscriptionStore.DistributionKind;

    public async Task<DeliveryRecord> AttemptAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (!Guid.TryParse(delivery.Destination, out var id) || await _subscriptions.GetAsync(id, cancellationToken) is not { } subscription)
        {
            return RetrySchedule.GiveUp(delivery, now, "The subscription has ended.");
        }

        if (!subscription.IsActive(now))
        {
            return RetrySchedule.GiveUp(delivery, now, "The subscription's lease has run out.");
        }

        if (FeedWriters.ForExtension(subscription.Format) is not { } writer || await DocumentAsync(subscription.FeedKey, writer, cancellationToken) is not { } body)
        {
            return RetrySchedule.GiveUp(delivery, now, "The topic has no document any more.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(writer.MediaType);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Link", _discovery.LinkHeader(subscription.Topic));
        if (subscription.Secret is { } secret)
        {
            request.Headers.TryAddWithoutValidation(HubSignature.Header, HubSignature.Sign(secret, body));
        }

        var sent = await HttpAttempt.SendAsync(_client, request, _options.Timeout, _clock, cancellationToken);
        if (sent.StatusCode == (int)HttpStatusCode.Gone)
        {
            // Section 7: a subscriber answering 410 Gone has left; its subscription ends with its distributions.
            await _subscriptions.DeleteAsync(subscription.Id, cancellationToken);
        }

        return _schedule.Decide(delivery, sent);
    }

    /// <summary>
    /// The document as stored, which is the current one: a render stores its documents (queuing their distributions)
    /// before it swaps them into memory, so memory may still hold the one before. The bytes come from memory when they
    /// are the stored ones, else from the last document sent, else from the database: a distribution to a thousand
    /// subscribers reads the body once.
    /// </summary>
    private async Task<byte[]?> DocumentAsync(string feedKey, IFeedWriter writer, CancellationToken cancellationToken)
    {
        if (await _feeds.GetETagAsync(feedKey, writer.FileExtension, cancellationToken) is not { } etag)
        {
            return null;
        }

        if (_cache.TryGet(feedKey, writer, out var cached) && cached.ETag == etag)
        {
            return cached.Body;
        }

        if (_lastSent.TryGetValue((feedKey, writer.FileExtension), out var last) && last.ETag == etag)
        {
            return last.Body;
        }

        if (await _feeds.LoadAsync(feedKey, writer.FileExtension, coding: null, cancellationToken) is not { } stored)
        {
            return null;
        }

        _lastSent[(feedKey, writer.FileExtension)] = (stored.ETag, stored.Body);
        return stored.Body;
    }

    public void Dispose() => _client.Dispose();
}
