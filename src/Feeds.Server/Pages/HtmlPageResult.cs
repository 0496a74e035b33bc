using System.Security.Cryptography;
using System.Text;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IO;

namespace Feeds.Server.Pages;

/// <summary>How a page may be kept by the browser.</summary>
public enum PageCaching
{
    /// <summary>Public pages: a strong ETag of the bytes, <c>no-cache</c>, and <c>304</c> to a matching <c>If-None-Match</c>.</summary>
    Revalidate,

    /// <summary>Pages for the signed-in author only: <c>no-store</c>, never kept by the browser or a proxy.</summary>
    NoStore,
}

/// <summary>
/// A page: a Razor component rendered on the server by <see cref="ComponentRenderers"/> (static rendering, no
/// circuit), answered as UTF-8 HTML with a status and caching headers. The page is rendered into memory first, so a
/// public page carries a strong ETag of its bytes and a browser revalidating an unchanged page gets <c>304</c> without
/// a body; <c>HEAD</c> gets the headers only.
/// </summary>
public sealed class HtmlPageResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    private const int WriterBufferSize = 16 * 1024;

    // Pages are rendered into pooled blocks: a drafts queue's 100 KB would otherwise be a new large-object-heap buffer
    // each time, and the collections of that heap the slowest requests.
    private static readonly RecyclableMemoryStreamManager _buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 64 * 1024,
        LargeBufferMultiple = 256 * 1024,
        MaximumBufferSize = 16 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 8 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    private readonly Type _component;
    private readonly IReadOnlyDictionary<string, object?> _parameters;

    private HtmlPageResult(Type component, IReadOnlyDictionary<string, object?> parameters, int statusCode, PageCaching caching)
    {
        _component = component;
        _parameters = parameters;
        StatusCode = statusCode;
        Caching = caching;
    }

    public int? StatusCode { get; }

    public string ContentType => HtmlContentType;

    public PageCaching Caching { get; }

    /// <summary>The page <typeparamref name="TComponent"/> with <paramref name="parameters"/> (parameter name → value).</summary>
    public static HtmlPageResult For<TComponent>(
        IReadOnlyDictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK, PageCaching caching = PageCaching.Revalidate)
        where TComponent : IComponent =>
        new(typeof(TComponent), parameters, statusCode, caching);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        await using var buffer = _buffers.GetStream(nameof(HtmlPageResult));
        // Its buffers come from the shared pools, where a StreamWriter's would be 80 KB of new arrays per page.
        await using (var writer = new HttpResponseStreamWriter(buffer, Encoding.UTF8, WriterBufferSize))
        {
            await httpContext.RequestServices.GetRequiredService<ComponentRenderers>().RenderAsync(_component, _parameters, writer, httpContext);
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var headers = response.Headers;
        if (Caching == PageCaching.NoStore)
        {
            headers.CacheControl = "no-store";
        }
        else if (StatusCode == StatusCodes.Status200OK)
        {
            var etag = "\"" + WebEncoders.Base64UrlEncode(SHA256.HashData(body.Span), 0, 16) + "\"";
            headers.ETag = etag;

            // Pages change whenever a post is published; browsers ask again each time and mostly get a 304.
            headers.CacheControl = "no-cache";
            if (IfNoneMatch.Matches(httpContext.Request.Headers.IfNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                return;
            }
        }

        response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        response.ContentType = HtmlContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
