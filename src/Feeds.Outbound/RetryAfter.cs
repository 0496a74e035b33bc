using System.Net.Http.Headers;

namespace Feeds.Outbound;

/// <summary>Reads the <c>Retry-After</c> header of a 429 or 503 answer (RFC 9110 §10.2.3), as seconds or as a date.</summary>
public static class RetryAfter
{
    /// <summary>How long, from <paramref name="now"/>, the server asks callers to wait; null when it does not say. A past date asks for no wait.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Of(response.Headers.RetryAfter, now);
    }

    public static TimeSpan? Of(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
