using System.Security.Cryptography;
using System.Threading.Channels;
using Feeds.Core.Syndication;
using Feeds.Data.WebSub;
using Feeds.Outbound;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Acts on accepted subscription requests, several at once: asks the callback to confirm its intent with a
/// <c>hub.challenge</c> it must echo in a 2xx (WebSub section 5.3), and only then records the subscription, renews its
/// lease or ends it; or tells the callback its subscription was denied (section 5.2). Nothing changes for a callback
/// that does not confirm. A request still waiting here when the service stops is lost, as the recommendation allows:
/// the subscriber was never told it succeeded, and asks again.
/// </summary>
public sealed partial class WebSubVerifier : BackgroundService
{
    /// <summary>Requests waiting for a verification slot; a flood beyond this is answered 503.</summary>
    private const int MaxWaiting = 10_000;

    private const int MaxChallengeResponseBytes = 1024;

    private readonly Channel<IntentRequest> _waiting = Channel.CreateBounded<IntentRequest>(
        new BoundedChannelOptions(MaxWaiting) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly WebSubSubscriptionStore _store;
    private readonly FeedCache _cache;
    private readonly WebSubOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebSubVerifier> _logger;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _slots;

    public WebSubVerifier(WebSubSubscriptionStore store, FeedCache cache, IOptions<WebSubOptions> options, TimeProvider clock, ILogger<WebSubVerifier> logger)
    {
        _store = store;
        _cache = cache;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.ConcurrentVerifications);
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(_options.ConcurrentVerifications)), disposeHandler: true)
        {
            Timeout = _options.Timeout,
        };
    }

    /// <summary>Queues a request; false when too many are waiting already.</summary>
    public bool TryQueue(IntentRequest request) => _waiting.Writer.TryWrite(request);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var request in _waiting.Reader.ReadAllAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await ActAsync(request, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        LogVerificationCrashed(_logger, request.Callback, e);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ActAsync(IntentRequest request, CancellationToken cancellationToken)
    {
        if (request.DenialReason is { } reason)
        {
            await DenyAsync(request, reason, cancellationToken);
            return;
        }

        var challenge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var query = new List<KeyValuePair<string, string>>
        {
            new("hub.mode", request.Mode),
            new("hub.topic", request.TopicUrl),
            new("hub.challenge", challenge),
        };
        if (request.Mode == HubModes.Subscribe)
        {
            query.Add(new("hub.lease_seconds", request.LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (!await ConfirmsAsync(WithQuery(request.Callback, query), challenge, cancellationToken))
        {
            LogNotConfirmed(_logger, request.Mode, request.Callback, request.TopicUrl);
            return;
        }

        if (request.Mode == HubModes.Subscribe && request.Topic is { } topic)
        {
            if (FeedKey.IsOnDemand(topic.Key.Value))
            {
                // A combination or a site's feed is rendered again on changes only once it is known to be in use.
                _cache.Remember(topic.Key.Value);
            }

            var saved = await _store.SaveVerifiedAsync(
                topic.Url, topic.Key.Value, topic.Writer.FileExtension, request.Callback.AbsoluteUri, request.Secret, request.LeaseSeconds, _clock.GetUtcNow(), cancellationToken);
            LogSubscribed(_logger, request.Callback, topic.Url, saved.LeaseEndsAt);
        }
        else if (request.Mode == HubModes.Unsubscribe)
        {
            await _store.DeleteAsync(request.TopicUrl, request.Callback.AbsoluteUri, cancellationToken);
            LogUnsubscribed(_logger, request.Callback, request.TopicUrl);
        }
    }

    /// <summary>Whether the callback answered the verification with a 2xx whose body is exactly the challenge.</summary>
    private async Task<bool> ConfirmsAsync(Uri url, string challenge, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var body = await BoundedBody.ReadExcerptAsync(response.Content, MaxChallengeResponseBytes, MaxChallengeResponseBytes, cancellationToken);
            return !body.Truncated && body.Text == challenge;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task DenyAsync(IntentRequest request, string reason, CancellationToken cancellationToken)
    {
        var url = WithQuery(request.Callback, [new("hub.mode", HubModes.Denied), new("hub.topic", request.TopicUrl), new("hub.reason", reason)]);
        try
        {
            // The subscriber's answer to a denial means nothing to the hub.
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }

        LogDenied(_logger, request.Callback, request.TopicUrl, reason);
    }

    /// <summary>The callback with <paramref name="parameters"/> added to whatever query it has (section 5.3: it may carry its own).</summary>
    public static Uri WithQuery(Uri callback, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var added = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var builder = new UriBuilder(callback) { Fragment = "" };
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? added : builder.Query.TrimStart('?') + "&" + added;
        return builder.Uri;
    }

    public override void Dispose()
    {
        _client.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: {Callback} subscribed to {Topic} until {LeaseEndsAt}")]
    private static partial void LogSubscribed(ILogger logger, Uri callback, string topic, DateTimeOffset leaseEndsAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: {Callback} unsubscribed from {Topic}")]
    private static partial void LogUnsubscribed(ILogger logger, Uri callback, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: {Callback} did not confirm {Mode} of {Topic}; nothing changed")]
    private static partial void LogNotConfirmed(ILogger logger, string mode, Uri callback, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: subscription of {Callback} to {Topic} denied: {Reason}")]
    private static partial void LogDenied(ILogger logger, Uri callback, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSub: acting on a request of {Callback} failed")]
    private static partial void LogVerificationCrashed(ILogger logger, Uri callback, Exception exception);
}
