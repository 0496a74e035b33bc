using System.Security.Cryptography;
using System.Text;
using Feeds.Server.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Feeds.Server.Pages;

/// <summary>
/// A rendered page: UTF-8 HTML with a strong ETag of its bytes, so a browser revalidating an unchanged page
/// gets <c>304</c> without a body; <c>HEAD</c> gets the headers only.
/// </summary>
public sealed class HtmlPageResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    // Pages carry no script at all: anything that slipped into them could not run.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; media-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] _body;

    public HtmlPageResult(string html, int statusCode = StatusCodes.Status200OK)
    {
        _body = Encoding.UTF8.GetBytes(html);
        StatusCode = statusCode;
        ETag = "\"" + WebEncoders.Base64UrlEncode(SHA256.HashData(_body), 0, 16) + "\"";
    }

    public int? StatusCode { get; }

    public string ContentType => HtmlContentType;

    public string ETag { get; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        if (StatusCode == StatusCodes.Status200OK)
        {
            headers.ETag = ETag;

            // Pages change whenever a post is published; browsers ask again each time and mostly get a 304.
            headers.CacheControl = "no-cache";
            if (IfNoneMatch.Matches(httpContext.Request.Headers.IfNoneMatch, ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        response.ContentType = HtmlContentType;
        response.ContentLength = _body.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(_body, httpContext.RequestAborted);
        }
    }
}
