using System.Net.Http.Headers;
using System.Text;
using Feeds.Core.Webhooks;
using Feeds.Data.Webhooks;
using Feeds.Outbound;
using Feeds.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>The outcome of one attempt: what to log, the classified error if it failed, and any <c>Retry-After</c>.</summary>
public sealed record DeliveryResult(WebhookAttempt Attempt, OutboundError? Error, TimeSpan? RetryAfter);

/// <summary>
/// Makes single delivery attempts: signs the stored body for the secrets live at that moment and posts it through
/// the SSRF-safe outbound handler (address checked at connect time, no redirects, no proxy), within the total timeout.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string UserAgent = "Feeds-Webhooks/1.0 (+https://www.standardwebhooks.com/)";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        // The timeout is applied per attempt below, where it covers reading the body as well.
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions()), disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing is to be recorded.</exception>
    public async Task<DeliveryResult> SendAsync(string messageId, string body, WebhookTarget target, CancellationToken cancellationToken)
    {
        var signedAt = _clock.GetUtcNow();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
        var timestamp = signedAt.ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.SignatureHeader,
            WebhookSignature.Sign(messageId, timestamp, bytes, target.LiveSecrets(signedAt).Select(WebhookSecret.Parse)));

        var sent = await HttpAttempt.SendAsync(_client, request, _options.Timeout, _clock, cancellationToken);
        var attempt = new WebhookAttempt(
            Guid.CreateVersion7(sent.AttemptedAt), messageId, target.EndpointId, sent.AttemptedAt, sent.DurationMs, sent.StatusCode,
            sent.Error?.Code, sent.Error?.Description, sent.ResponseExcerpt);
        return new DeliveryResult(attempt, sent.Error, sent.RetryAfter);
    }

    public void Dispose() => _client.Dispose();
}
