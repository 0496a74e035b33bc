using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using Feeds.Core.Parsing;
using Feeds.Outbound;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>What one fetch of a feed came to. Disposing it gives the body's pooled array back.</summary>
public sealed record FetchResult : IDisposable
{
    /// <summary>A 2xx with its body (<see cref="Body"/>), a 304, or a failure (<see cref="Error"/>).</summary>
    public required FetchOutcome Outcome { get; init; }

    /// <summary>The status of the last response; null when none arrived.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Read it before the result is disposed, and keep nothing that points into it.</summary>
    public PooledBody? Body { get; init; }

    /// <summary>SHA-256 of <see cref="Body"/>, lower-case hex.</summary>
    public string? BodySha256 { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The URL the last response came from, which relative links in the body resolve against.</summary>
    public required Uri FinalUrl { get; init; }

    /// <summary>Where the feed now lives: the requested URL moved along every leading permanent redirect (301, 308).</summary>
    public required Uri PermanentUrl { get; init; }

    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    /// <summary>The wait a 429 or 503 asked for.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The response's <c>Cache-Control: max-age</c>.</summary>
    public TimeSpan? MaxAge { get; init; }

    public OutboundError? Error { get; init; }

    /// <summary>The response's <c>Link</c> header values, where a feed may advertise its WebSub hub and self URL.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>
    /// The body was pushed by the source's WebSub hub, not fetched: it says nothing about the feed's own response
    /// (validators, <c>Link</c> header), so what a fetch learns from those stays as it was.
    /// </summary>
    public bool Pushed { get; init; }

    public void Dispose() => Body?.Dispose();
}

public enum FetchOutcome
{
    Modified,
    NotModified,
    Failed,
}

/// <summary>
/// Fetches feeds politely through the shared SSRF-safe outbound stack: conditional requests with the stored
/// validators, compressed transfer, a User-Agent naming the service and the site it polls for, redirects followed by
/// hand (each hop connects only where the address policy allows), a body limit counted after decompression, and
/// one time limit over the whole fetch.
/// </summary>
public sealed class SourceFetcher : IDisposable
{
    public const int MaxRedirects = 5;

    private const string Accept =
        "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5";

    private readonly HttpClient _client;
    private readonly SourceOptions _options;
    private readonly TimeProvider _clock;
    private readonly MemoryReclaimer _reclaimer;

    public SourceFetcher(IOptions<SourceOptions> options, IOptions<FeedsOptions> site, TimeProvider clock, MemoryReclaimer reclaimer)
    {
        _options = options.Value;
        _clock = clock;
        _reclaimer = reclaimer;
        // The time limit is applied per fetch below, where it covers every hop and the body as well.
        _client = new HttpClient(OutboundHttp.CreateHandler(_options.ToOutboundOptions()), disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        var version = typeof(SourceFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
        // The site's own address is where an upstream's operator can find out who keeps asking for their feed.
        UserAgent = $"Feeds/{version} (feed reader; +{site.Value.BaseUrlTrimmed}/)";
    }

    public string UserAgent { get; }

    /// <summary>Fetches <paramref name="url"/>, sending the validators when given.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var current = url;
        var permanent = url;
        var onlyPermanent = true;
        int? status = null;
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                status = null;
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                request.Headers.TryAddWithoutValidation("Accept", Accept);
                if (etag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                if (lastModified is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var next = response.Headers.Location is { } location && Uri.TryCreate(current, location, out var resolved)
                        && (resolved.Scheme == Uri.UriSchemeHttp || resolved.Scheme == Uri.UriSchemeHttps)
                        ? resolved
                        : null;
                    if (next is null)
                    {
                        return Failed(current, permanent, status, new OutboundError(
                            OutboundErrorClass.HttpStatus, $"HTTP {status} redirect without a usable http(s) Location.", status));
                    }

                    onlyPermanent &= status is 301 or 308;
                    if (onlyPermanent)
                    {
                        permanent = next;
                    }

                    current = next;
                    continue;
                }

                var result = new FetchResult
                {
                    Outcome = FetchOutcome.Failed,
                    HttpStatus = status,
                    FinalUrl = current,
                    PermanentUrl = permanent,
                    ETag = response.Headers.TryGetValues("ETag", out var tags) ? tags.FirstOrDefault() : null,
                    LastModified = response.Content.Headers.TryGetValues("Last-Modified", out var modified) ? modified.FirstOrDefault() : null,
                    MaxAge = response.Headers.CacheControl?.MaxAge,
                    Links = response.Headers.TryGetValues("Link", out var links) ? [.. links] : [],
                };
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return result with { Outcome = FetchOutcome.NotModified };
                }

                if (!response.IsSuccessStatusCode)
                {
                    return result with
                    {
                        Error = OutboundError.FromResponse(response),
                        RetryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                            ? RetryAfter.Of(response, _clock.GetUtcNow())
                            : null,
                    };
                }

                var body = await BoundedBody.ReadLimitedAsync(response.Content, FeedLimits.MaxBodyBytes, timeout.Token);
                _reclaimer.AfterFetch(body.Length);
                return result with
                {
                    Outcome = FetchOutcome.Modified,
                    Body = body,
                    BodySha256 = Convert.ToHexStringLower(SHA256.HashData(body.Span)),
                    ContentType = response.Content.Headers.ContentType?.ToString(),
                };
            }

            return Failed(current, permanent, status, new OutboundError(OutboundErrorClass.Other, $"More than {MaxRedirects} redirects in a row."));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e is ResponseTooLargeException { DeclaredLength: null } tooLarge)
            {
                // Refused only once the limit was read.
                _reclaimer.AfterFetch(tooLarge.Limit);
            }

            var error = timeout.IsCancellationRequested
                ? new OutboundError(OutboundErrorClass.Timeout, $"The feed did not arrive within {_options.Timeout.TotalSeconds:0.###} s.")
                : OutboundError.FromException(e, cancellationToken);
            return Failed(current, permanent, status, error);
        }
    }

    public void Dispose() => _client.Dispose();

    private static FetchResult Failed(Uri current, Uri permanent, int? status, OutboundError error) => new()
    {
        Outcome = FetchOutcome.Failed,
        HttpStatus = status,
        FinalUrl = current,
        PermanentUrl = permanent,
        Error = error,
    };
}
