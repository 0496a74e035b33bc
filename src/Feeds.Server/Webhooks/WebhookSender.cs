using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Feeds.Core.Webhooks;
using Feeds.Data.Webhooks;
using Feeds.Outbound;
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
        var attemptedAt = _clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var bytes = Encoding.UTF8.GetBytes(body);
        int? status = null;
        string? excerpt = null;
        OutboundError? error;
        TimeSpan? retryAfter = null;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
            var timestamp = attemptedAt.ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(
                WebhookSignature.SignatureHeader,
                WebhookSignature.Sign(messageId, timestamp, bytes, target.LiveSecrets(attemptedAt).Select(WebhookSecret.Parse)));

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = OutboundError.FromResponse(response);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                retryAfter = RetryAfter.Of(response, attemptedAt);
            }

            try
            {
                excerpt = (await BoundedBody.ReadExcerptAsync(
                    response.Content, BoundedBody.DefaultExcerptReadLimit, BoundedBody.DefaultExcerptKeep, timeout.Token)).Text;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The status line decides the outcome; a body that dribbles or breaks off only costs the excerpt.
                excerpt = null;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            error = OutboundError.FromException(e, cancellationToken);
        }

        var duration = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var attempt = new WebhookAttempt(
            Guid.CreateVersion7(attemptedAt), messageId, target.EndpointId, attemptedAt, duration, status,
            error?.Code, error?.Description, string.IsNullOrEmpty(excerpt) ? null : excerpt);
        return new DeliveryResult(attempt, error, retryAfter);
    }

    public void Dispose() => _client.Dispose();
}
