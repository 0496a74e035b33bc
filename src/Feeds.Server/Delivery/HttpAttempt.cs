using System.Diagnostics;
using System.Net;
using Feeds.Outbound;

namespace Feeds.Server.Delivery;

/// <summary>What one outbound delivery request came to: when, how long, the status, the classified error and any <c>Retry-After</c>.</summary>
public sealed record HttpAttempt(DateTimeOffset AttemptedAt, int DurationMs, int? StatusCode, OutboundError? Error, TimeSpan? RetryAfter, string? ResponseExcerpt)
{
    /// <summary>
    /// Sends <paramref name="request"/> through <paramref name="client"/> (one over <see cref="OutboundHttp"/>), within
    /// <paramref name="timeout"/> for the whole exchange, reading at most an excerpt of the answer. Any 2xx is success;
    /// everything else, a failure to connect included, is classified, never thrown.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing is to be recorded.</exception>
    public static async Task<HttpAttempt> SendAsync(
        HttpClient client, HttpRequestMessage request, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var attemptedAt = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string? excerpt = null;
        OutboundError? error;
        TimeSpan? retryAfter = null;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            status = (int)response.StatusCode;
            error = OutboundError.FromResponse(response);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                retryAfter = Outbound.RetryAfter.Of(response, attemptedAt);
            }

            try
            {
                excerpt = (await BoundedBody.ReadExcerptAsync(
                    response.Content, BoundedBody.DefaultExcerptReadLimit, BoundedBody.DefaultExcerptKeep, limit.Token)).Text;
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
        return new HttpAttempt(attemptedAt, duration, status, error, retryAfter, string.IsNullOrEmpty(excerpt) ? null : excerpt);
    }
}
