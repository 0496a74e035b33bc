using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Feeds.Data.Sources;
using Feeds.Outbound;
using Feeds.Server.Delivery;
using Feeds.Server.Hosting;
using Feeds.Server.WebSub;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources.Push;

/// <summary>
/// Subscribes sources to the WebSub hubs their feeds advertise (section 5.1): a callback under <c>BaseUrl</c> of its own
/// and a secret of its own per subscription, the lease <c>Feeds:WebSub:SourceLeaseSeconds</c>. Renews each lease at
/// four fifths of its length, and puts a source back to polling when the hub refuses, cannot be reached, never verifies,
/// or lets the lease end. A site whose <c>BaseUrl</c> is a loopback or private address subscribes nothing (no hub could
/// reach it) unless <c>Feeds:WebSub:AllowPrivateNetworks</c> is on.
/// </summary>
public sealed partial class SourceSubscriber : BackgroundService
{
    /// <summary>A hub that accepted a request but has not verified it by then is taken to have dropped it.</summary>
    public static readonly TimeSpan VerificationWait = TimeSpan.FromHours(1);

    /// <summary>A subscription that failed is asked for again after this (the feed may have fixed its hub meanwhile).</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromHours(6);

    private const int DueBatch = 100;

    private readonly SourcePushStore _store;
    private readonly WebSubOptions _options;
    private readonly SourceOptions _sources;
    private readonly TimeProvider _clock;
    private readonly ILogger<SourceSubscriber> _logger;
    private readonly HttpClient _client;
    private readonly string _callbackBase;
    private readonly string? _privateBaseUrl;
    private readonly SemaphoreSlim _oneSweep = new(1);
    private readonly SemaphoreSlim _kick = new(0, 1);

    public SourceSubscriber(
        SourcePushStore store, IOptions<WebSubOptions> options, IOptions<SourceOptions> sources, IOptions<FeedsOptions> site, TimeProvider clock,
        ILogger<SourceSubscriber> logger)
    {
        _store = store;
        _options = options.Value;
        _sources = sources.Value;
        _clock = clock;
        _logger = logger;
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions(8)), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _callbackBase = site.Value.BaseUrlTrimmed + "/websub/sources/";
        _privateBaseUrl = _options.AllowPrivateNetworks ? null : PrivateHost(new Uri(site.Value.BaseUrl));
    }

    /// <summary>The callback URL of <paramref name="token"/>.</summary>
    public string Callback(string token) => _callbackBase + token;

    /// <summary>Asks for a sweep now, for a source that just found a hub.</summary>
    public void Kick()
    {
        try
        {
            _kick.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sweep is asked for already.
        }
    }

    /// <summary>
    /// Acts on every subscription that needs it at <paramref name="asOf"/> (now by default): first requests,
    /// renewals, retries, and leases that ended.
    /// </summary>
    public async Task SweepAsync(DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        await _oneSweep.WaitAsync(cancellationToken);
        try
        {
            var now = asOf ?? _clock.GetUtcNow();
            var done = new HashSet<long>();
            while (true)
            {
                var due = (await _store.ListDueAsync(now, DueBatch, cancellationToken)).Where(s => done.Add(s.Id)).ToList();
                if (due.Count == 0)
                {
                    break;
                }

                foreach (var source in due)
                {
                    await ActAsync(source, source.Push!, now, cancellationToken);
                }
            }
        }
        finally
        {
            _oneSweep.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(asOf: null, stoppingToken);
                await _kick.WaitAsync(_sources.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepCrashed(_logger, e);
                await Task.Delay(_sources.SweepInterval, _clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ActAsync(Source source, SourcePush push, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (push.State)
        {
            case PushState.Active when push.LeaseEndsAt <= now:
                await FailAsync(source, push, $"The hub's lease ended at {push.LeaseEndsAt:u} without a renewal being verified.", now, cancellationToken);
                break;
            case PushState.Requested:
                await FailAsync(source, push, $"The hub at {push.Hub} did not verify the subscription within {VerificationWait.TotalMinutes:0} minutes.", now, cancellationToken);
                break;
            default:
                await RequestAsync(source, push, now, cancellationToken);
                break;
        }
    }

    /// <summary>Asks the hub for the subscription (a renewal keeps its callback and secret); a refusal puts the source back to polling.</summary>
    private async Task RequestAsync(Source source, SourcePush push, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_privateBaseUrl is { } host)
        {
            await FailAsync(source, push,
                $"BaseUrl names {host}, a loopback or private address no hub can reach; set a public Feeds:BaseUrl (or Feeds:WebSub:AllowPrivateNetworks) for pushes.",
                now, cancellationToken);
            return;
        }

        var renewal = push.State == PushState.Active && push.CallbackToken is not null && push.Secret is not null;
        var token = renewal ? push.CallbackToken! : NewToken(24);
        var secret = renewal ? push.Secret! : NewToken(32);
        using var request = new HttpRequestMessage(HttpMethod.Post, push.Hub)
        {
            Content = new FormUrlEncodedContent([
                new("hub.mode", HubModes.Subscribe),
                new("hub.topic", push.Topic),
                new("hub.callback", Callback(token)),
                new("hub.secret", secret),
                new("hub.lease_seconds", _options.SourceLeaseSeconds.ToString(CultureInfo.InvariantCulture)),
            ]),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", WebSubSender.UserAgent);

        // Stored before the hub is asked, since a hub may verify before it even answers the request. A renewal not
        // verified by the end of the lease lets it end; a first request waits for its verification.
        var nextAt = renewal ? push.LeaseEndsAt!.Value : now + VerificationWait;
        await _store.RecordRequestedAsync(source.Id, push, token, secret, now, nextAt, cancellationToken);
        var attempt = await HttpAttempt.SendAsync(_client, request, _options.Timeout, _clock, cancellationToken);
        if (attempt.Error is { } error)
        {
            var answer = attempt.StatusCode is { } status ? $"answered {status}" : "could not be reached";
            await FailAsync(source, push, $"The hub at {push.Hub} {answer} to the subscription request: {error.Description}", now, cancellationToken);
            return;
        }

        LogRequested(_logger, source.Id, push.Hub, push.Topic, renewal);
    }

    private async Task FailAsync(Source source, SourcePush push, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _store.RecordFailedAsync(source.Id, push, reason, now, now + RetryFailedAfter, cancellationToken);
        LogFailed(_logger, source.Id, reason);
    }

    /// <summary>The host of <paramref name="baseUrl"/> when it is <c>localhost</c> or a loopback, private or otherwise non-public address.</summary>
    public static string? PrivateHost(Uri baseUrl)
    {
        var host = baseUrl.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return host;
        }

        return IPAddress.TryParse(host, out var address) && !AddressPolicy.Judge(address).IsAllowed ? host : null;
    }

    private static string NewToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public override void Dispose()
    {
        _client.Dispose();
        _oneSweep.Dispose();
        _kick.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: source {SourceId} asked {Hub} for {Topic} (renewal: {Renewal})")]
    private static partial void LogRequested(ILogger logger, long sourceId, string hub, string topic, bool renewal);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSub: source {SourceId} is polled: {Reason}")]
    private static partial void LogFailed(ILogger logger, long sourceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSub: a sweep of source subscriptions failed; it is tried again")]
    private static partial void LogSweepCrashed(ILogger logger, Exception exception);
}
