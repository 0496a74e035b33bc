using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.Sources;

/// <summary>A request as the upstream server saw it.</summary>
public sealed record UpstreamRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string UserAgent, string AcceptEncoding, int AnsweredWith);

/// <summary>
/// Real upstream web servers for the poller to fetch from: Kestrel on 127.0.0.1, port 0. Each path answers with what
/// the test last set for it (a feed with validators, a status, a redirect, or anything a handler writes), and every
/// request is recorded.
/// </summary>
public sealed class Upstream : LoopbackSite
{
    public static readonly DateTimeOffset LastModified = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<UpstreamRequest> _requests = new();

    private Upstream()
    {
    }

    public IReadOnlyList<UpstreamRequest> RequestsTo(string path) => [.. _requests.Where(r => r.Path == "/" + path.TrimStart('/'))];

    public static async Task<Upstream> StartAsync()
    {
        var upstream = new Upstream();
        await upstream.ListenAsync();
        return upstream;
    }

    /// <summary>Answers with <paramref name="handler"/>.</summary>
    public void Route(string path, Func<HttpContext, Task> handler) => _routes["/" + path.TrimStart('/')] = handler;

    /// <summary>
    /// Serves <paramref name="body"/> with a strong ETag (its hash) and a Last-Modified, answering 304 to a request that
    /// presents either; <paramref name="validators"/> false serves it plainly.
    /// </summary>
    /// <param name="delay">How long the server thinks before answering.</param>
    public void Feed(string path, string body, string contentType = "application/rss+xml; charset=utf-8", bool validators = true, TimeSpan delay = default)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";
        Route(path, async context =>
        {
            await Task.Delay(delay, context.RequestAborted);
            if (validators)
            {
                context.Response.Headers.ETag = etag;
                context.Response.Headers.LastModified = LastModified.ToString("R");
                if (context.Request.Headers.IfNoneMatch == etag
                    || (context.Request.Headers.IfNoneMatch.Count == 0 && context.Request.Headers.IfModifiedSince == LastModified.ToString("R")))
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
            }

            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });
    }

    /// <summary>Serves an HTML page.</summary>
    public void Page(string path, string html) => Route(path, context =>
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    });

    public void Status(string path, int status, params (string Name, string Value)[] headers) => Route(path, context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return Task.CompletedTask;
    });

    public void Redirect(string path, int status, string to) => Status(path, status, ("Location", to));

    protected override async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            if (_routes.TryGetValue(path, out var handler))
            {
                await handler(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
        finally
        {
            var headers = context.Request.Headers;
            _requests.Enqueue(new UpstreamRequest(
                path,
                headers.IfNoneMatch.Count > 0 ? headers.IfNoneMatch.ToString() : null,
                headers.IfModifiedSince.Count > 0 ? headers.IfModifiedSince.ToString() : null,
                headers.UserAgent.ToString(),
                headers.AcceptEncoding.ToString(),
                context.Response.StatusCode));
        }
    }
}
