using System.Text.Json.Nodes;

namespace Feeds.Server.ActivityPub;

/// <summary>An ActivityStreams (or other JSON) document with its own media type, open to any origin.</summary>
public sealed class ActivityJsonResult(JsonNode document, string contentType = ActivityStreams.MediaType) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = contentType + "; charset=utf-8";
        httpContext.Response.Headers.AccessControlAllowOrigin = "*";
        httpContext.Response.Headers.Vary = "Accept";
        await httpContext.Response.WriteAsync(document.ToJsonString(), httpContext.RequestAborted);
    }
}
