using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Feeds.Server.Desk;

/// <summary>
/// The desk's script, stylesheet and web app manifest, built into the assembly so the service needs no files beside
/// it. The manifest's <c>share_target</c> lets a phone's share menu open the compose form.
/// </summary>
public static class DeskAssets
{
    private static readonly Asset Script = Asset.Embedded("desk.js", "text/javascript; charset=utf-8");

    private static readonly Asset Stylesheet = Asset.Embedded("desk.css", "text/css; charset=utf-8");

    public static IEndpointRouteBuilder MapDeskAssets(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("/desk").AllowAnonymous().ExcludeFromDescription();
        assets.MapGet("/assets/desk.js", Script.Serve);
        assets.MapGet("/assets/desk.css", Stylesheet.Serve);
        assets.MapGet("/manifest.webmanifest", Manifest);
        return app;
    }

    public static IResult Manifest(HttpContext context)
    {
        var title = context.RequestServices.GetRequiredService<Feeds.Core.Syndication.FeedComposer>().Site.Title;
        return TypedResults.Json(
            new WebAppManifest(
                title, title, "/desk", "/desk", "standalone",
                new ShareTarget("/desk/new", "GET", "application/x-www-form-urlencoded", new ShareParams("title", "text", "url"))),
            contentType: "application/manifest+json");
    }

    public sealed record WebAppManifest(
        string Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("short_name")] string ShortName,
        [property: System.Text.Json.Serialization.JsonPropertyName("start_url")] string StartUrl,
        string Scope,
        string Display,
        [property: System.Text.Json.Serialization.JsonPropertyName("share_target")] ShareTarget ShareTarget);

    public sealed record ShareTarget(string Action, string Method, string Enctype, ShareParams Params);

    public sealed record ShareParams(string Title, string Text, string Url);

    private sealed record Asset(byte[] Body, string ContentType, string ETag)
    {
        public static Asset Embedded(string name, string contentType)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Feeds.Server.Desk.Assets." + name)
                ?? throw new InvalidOperationException($"the desk asset {name} is not built into the assembly");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            return new Asset(body, contentType, "\"" + WebEncoders.Base64UrlEncode(SHA256.HashData(body), 0, 16) + "\"");
        }

        public IResult Serve(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers.ETag = ETag;
            return Http.IfNoneMatch.Matches(context.Request.Headers.IfNoneMatch, ETag)
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : TypedResults.Bytes(Body, ContentType);
        }
    }
}
