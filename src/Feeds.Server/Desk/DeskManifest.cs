using Feeds.Core.Syndication;
using Feeds.Server.Pages;

namespace Feeds.Server.Desk;

/// <summary>
/// The desk's web app manifest: installed on a phone's home screen, its <c>share_target</c> lets the share menu open
/// the compose form. (The desk's script and stylesheet are site assets, in <c>Pages/Assets</c>.)
/// </summary>
public static class DeskManifest
{
    public static IEndpointRouteBuilder MapDeskManifest(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("/desk").AllowAnonymous().ExcludeFromDescription();
        assets.MapGet("/manifest.webmanifest", Manifest);
        return app;
    }

    public const string Icon = "desk-icon.svg";

    public static IResult Manifest(FeedComposer composer, SiteAssets assets)
    {
        var title = composer.Site.Title;
        return TypedResults.Json(
            new WebAppManifest(
                title, title, "/desk", "/", "standalone", [new ManifestIcon(assets.Url(Icon), "any", "image/svg+xml")],
                new ShareTarget("/desk/new", "GET", "application/x-www-form-urlencoded", new ShareParams("title", "text", "url"))),
            contentType: "application/manifest+json");
    }

    public sealed record WebAppManifest(
        string Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("short_name")] string ShortName,
        [property: System.Text.Json.Serialization.JsonPropertyName("start_url")] string StartUrl,
        string Scope,
        string Display,
        IReadOnlyList<ManifestIcon> Icons,
        [property: System.Text.Json.Serialization.JsonPropertyName("share_target")] ShareTarget ShareTarget);

    public sealed record ManifestIcon(string Src, string Sizes, string Type);

    public sealed record ShareTarget(string Action, string Method, string Enctype, ShareParams Params);

    public sealed record ShareParams(string Title, string Text, string Url);
}
