using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Feeds.Outbound;

/// <summary>Why a webhook delivery or feed fetch failed, coarse enough to group and to decide on retries.</summary>
public enum OutboundErrorClass
{
    Dns,
    Connect,
    Tls,
    Timeout,
    BlockedAddress,
    BlockedPort,
    HttpsRequired,
    HttpStatus,
    TooLarge,
    Other,
}

/// <summary>A classified failure: a stable <see cref="Code"/> to store, and a short description for people.</summary>
public sealed record OutboundError(OutboundErrorClass Class, string Description, int? StatusCode = null)
{
    /// <summary>The class as stored in attempt logs and fetch state: <c>dns</c>, <c>connect</c>, <c>tls</c>, <c>timeout</c>,
    /// <c>blocked_address</c>, <c>blocked_port</c>, <c>https_required</c>, <c>http_status</c>, <c>too_large</c> or <c>other</c>.</summary>
    public string Code => CodeOf(Class);

    public static string CodeOf(OutboundErrorClass errorClass) => errorClass switch
    {
        OutboundErrorClass.Dns => "dns",
        OutboundErrorClass.Connect => "connect",
        OutboundErrorClass.Tls => "tls",
        OutboundErrorClass.Timeout => "timeout",
        OutboundErrorClass.BlockedAddress => "blocked_address",
        OutboundErrorClass.BlockedPort => "blocked_port",
        OutboundErrorClass.HttpsRequired => "https_required",
        OutboundErrorClass.HttpStatus => "http_status",
        OutboundErrorClass.TooLarge => "too_large",
        _ => "other",
    };

    /// <summary>
    /// Classifies an exception from sending a request or reading its body.
    /// </summary>
    /// <param name="callerToken">The caller's own token: a cancellation it asked for is not a timeout.
    /// Any other cancellation is one (HttpClient and connect timeouts surface as cancellations).</param>
    public static OutboundError FromException(Exception exception, CancellationToken callerToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var chain = Chain(exception).ToList();

        if (chain.OfType<BlockedAddressException>().FirstOrDefault() is { } blocked)
        {
            return new(OutboundErrorClass.BlockedAddress, blocked.Message);
        }

        if (chain.OfType<BlockedPortException>().FirstOrDefault() is { } port)
        {
            return new(OutboundErrorClass.BlockedPort, port.Message);
        }

        if (chain.OfType<HttpsRequiredException>().FirstOrDefault() is { } insecure)
        {
            return new(OutboundErrorClass.HttpsRequired, insecure.Message);
        }

        if (chain.OfType<ResponseTooLargeException>().FirstOrDefault() is { } tooLarge)
        {
            return new(OutboundErrorClass.TooLarge, tooLarge.Message);
        }

        if (chain.OfType<TimeoutException>().FirstOrDefault() is { } timeout)
        {
            return new(OutboundErrorClass.Timeout, $"Timed out: {timeout.Message}");
        }

        if (exception is OperationCanceledException)
        {
            return callerToken.IsCancellationRequested
                ? new(OutboundErrorClass.Other, "The request was cancelled.")
                : new(OutboundErrorClass.Timeout, "Timed out before a response arrived.");
        }

        if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } tls)
        {
            return new(OutboundErrorClass.Tls, $"The TLS handshake failed: {tls.Message}");
        }

        var socket = chain.OfType<SocketException>().FirstOrDefault();
        var detail = DetailOf(chain);
        var requestError = chain.OfType<HttpRequestException>().Select(e => e.HttpRequestError)
            .Concat(chain.OfType<HttpIOException>().Select(e => e.HttpRequestError))
            .FirstOrDefault(e => e != HttpRequestError.Unknown);
        switch (requestError)
        {
            case HttpRequestError.NameResolutionError:
                return new(OutboundErrorClass.Dns, $"The host name could not be resolved: {detail}");
            case HttpRequestError.SecureConnectionError:
                return new(OutboundErrorClass.Tls, $"The TLS connection failed: {detail}");
            case HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.TimedOut:
                return new(OutboundErrorClass.Timeout, $"Timed out connecting: {detail}");
            case HttpRequestError.ConnectionError:
                return new(OutboundErrorClass.Connect, $"Could not connect: {detail}");
            case HttpRequestError.ResponseEnded:
                return new(OutboundErrorClass.Other, $"The connection closed before the response was complete: {detail}");
            case HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError:
                return new(OutboundErrorClass.Other, $"The server sent an invalid HTTP response: {detail}");
            case HttpRequestError.ConfigurationLimitExceeded:
                return new(OutboundErrorClass.TooLarge, $"The response headers exceeded a limit: {detail}");
        }

        if (chain.OfType<HttpRequestException>().FirstOrDefault(e => e.StatusCode is not null) is { StatusCode: { } status })
        {
            return FromStatus(status);
        }

        return socket?.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NoRecovery =>
                new(OutboundErrorClass.Dns, $"The host name could not be resolved: {detail}"),
            SocketError.TimedOut => new(OutboundErrorClass.Timeout, $"Timed out: {detail}"),
            null => new(OutboundErrorClass.Other, detail),
            _ => new(OutboundErrorClass.Connect, $"The connection failed: {detail}"),
        };
    }

    /// <summary>The error a response stands for, or null for a 2xx. Redirects count as errors: they are never followed.</summary>
    public static OutboundError? FromResponse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.IsSuccessStatusCode ? null : FromStatus(response.StatusCode, response.ReasonPhrase);
    }

    public static OutboundError FromStatus(HttpStatusCode status, string? reasonPhrase = null)
    {
        var code = (int)status;
        var reason = string.IsNullOrWhiteSpace(reasonPhrase) ? ReasonOf(status) : reasonPhrase;
        var redirect = code is >= 300 and < 400 ? " (redirects are not followed)" : string.Empty;
        return new(OutboundErrorClass.HttpStatus, $"HTTP {code} {reason}{redirect}".TrimEnd(), code);
    }

    private static string ReasonOf(HttpStatusCode status)
    {
        using var probe = new HttpResponseMessage(status);
        return probe.ReasonPhrase ?? string.Empty;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>The outermost message that says more than "an error occurred"; HttpClient appends host and port to it.</summary>
    private static string DetailOf(List<Exception> chain) =>
        chain.OfType<HttpRequestException>().Select(e => e.Message).FirstOrDefault()
        ?? chain[^1].Message;
}
