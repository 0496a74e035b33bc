using Feeds.Data.Delivery;
using Feeds.Outbound;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Tells an external hub that a topic changed: <c>hub.mode=publish</c> with the topic as <c>hub.url</c> (the name most
/// hubs read) and <c>hub.topic</c>, form-encoded. Pings are deliveries like any other: queued with the document,
/// coalesced per topic, retried until the hub answers 2xx.
/// </summary>
public sealed class HubPingSender : IDeliverySender, IDisposable
{
    private readonly Uri? _hub;
    private readonly WebSubOptions _options;
    private readonly TimeProvider _clock;
    private readonly RetrySchedule _schedule;
    private readonly HttpClient _client;

    public HubPingSender(IOptions<WebSubOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _hub = _options.ExternalHub;
        _clock = clock;
        _schedule = _options.Retries();
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(8)), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Kind => WebSubDistribution.PingKind;

    public async Task<DeliveryRecord> AttemptAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        if (_hub is null)
        {
            return RetrySchedule.GiveUp(delivery, _clock.GetUtcNow(), "No external hub is configured any more.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _hub)
        {
            Content = new FormUrlEncodedContent([new("hub.mode", HubModes.Publish), new("hub.url", delivery.Payload), new("hub.topic", delivery.Payload)]),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", WebSubSender.UserAgent);
        return _schedule.Decide(delivery, await HttpAttempt.SendAsync(_client, request, _options.Timeout, _clock, cancellationToken));
    }

    public void Dispose() => _client.Dispose();
}
