using System.Collections.Frozen;
using System.Security.Cryptography;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Pages;

/// <summary>
/// The pages' static files (stylesheet, scripts), served from <c>/assets/</c> beside the binary. Pages link to each
/// with a version taken from its content, so a browser keeps a file for a year and fetches the new one the moment it
/// changes: no stale stylesheet after an upgrade, no revalidation on every page.
/// </summary>
public sealed class SiteAssets
{
    public const string RequestPath = "/assets";
    public const string Stylesheet = "site.css";

    private readonly Lazy<FrozenDictionary<string, string>> _urls;

    public SiteAssets(IOptions<FeedsOptions> options)
    {
        // Read at the first page, not at start-up, so that a bad BaseUrl is reported by the settings' validation.
        _urls = new(() =>
        {
            // Root-relative, not absolute: the policy allows styles and scripts from the page's own origin only, which
            // is the host the request reached (BaseUrl's, or an alias), while the pages' other links name BaseUrl's.
            var basePath = new Uri(options.Value.BaseUrl).AbsolutePath.TrimEnd('/');
            return System.IO.Directory.EnumerateFiles(Directory).ToFrozenDictionary(
                file => Path.GetFileName(file),
                file => $"{basePath}{RequestPath}/{Path.GetFileName(file)}?v={Version(file)}",
                StringComparer.Ordinal);
        });
    }

    public string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "assets");

    /// <summary>The versioned URL of one asset; an asset that is not there is a mistake in the code, not in a request.</summary>
    public string Url(string file) =>
        _urls.Value.TryGetValue(file, out var url) ? url : throw new InvalidOperationException($"There is no asset '{file}' in {Directory}.");

    internal StaticFileOptions ServingOptions() => new()
    {
        FileProvider = new PhysicalFileProvider(Directory),
        RequestPath = RequestPath,
        OnPrepareResponse = context =>
        {
            // A versioned URL never changes its content; an unversioned one may at the next upgrade.
            context.Context.Response.Headers.CacheControl = context.Context.Request.Query.ContainsKey("v")
                ? "public, max-age=31536000, immutable"
                : "no-cache";
        },
    };

    private static string Version(string file)
    {
        using var stream = File.OpenRead(file);
        return WebEncoders.Base64UrlEncode(SHA256.HashData(stream), 0, 9);
    }
}
