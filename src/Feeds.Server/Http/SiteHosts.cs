using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Http;

/// <summary>
/// The hosts the site answers as: the host of <c>Feeds:BaseUrl</c> and those of <c>Feeds:HostAliases</c>. A request
/// naming any other host, in <c>Host</c> or in <c>X-Forwarded-Host</c> from a trusted proxy, is answered as if it had
/// named BaseUrl's: whatever builds a URL from the request (a feed's self link, the OpenAPI document's server) builds
/// one of the site's own, so no client can put another host into a document that a shared cache keeps.
/// </summary>
public sealed class SiteHosts
{
    private readonly HostString _canonical;
    private readonly string[] _aliases;
    private readonly string _basePath;
    private readonly string _baseUrl;

    public SiteHosts(IOptions<FeedsOptions> options)
    {
        var baseUrl = new Uri(options.Value.BaseUrl);
        var host = baseUrl.HostNameType == UriHostNameType.Dns ? baseUrl.IdnHost : baseUrl.Host;
        _canonical = new HostString(baseUrl.IsDefaultPort ? host : $"{host}:{baseUrl.Port}");
        _aliases = options.Value.HostAliases;
        _basePath = baseUrl.AbsolutePath.TrimEnd('/');
        _baseUrl = options.Value.BaseUrlTrimmed;
    }

    /// <summary>Whether a request (past <see cref="Canonicalise"/>) is at BaseUrl's host rather than at an alias.</summary>
    public bool IsCanonical(HostString host) => string.Equals(host.Value, _canonical.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The site's base URL as the request reached it: BaseUrl, or at an alias BaseUrl's path under the alias as
    /// configured, with the request's scheme (from a trusted proxy's <c>X-Forwarded-Proto</c> where there is one).
    /// </summary>
    public string BaseUrlFor(HttpRequest request) =>
        AliasOf(request.Host) is { } alias ? $"{(request.IsHttps ? Uri.UriSchemeHttps : Uri.UriSchemeHttp)}://{alias}{_basePath}" : _baseUrl;

    /// <summary>Makes a request at a host the site is not configured for a request at BaseUrl's host.</summary>
    public void Canonicalise(HttpRequest request)
    {
        if (!IsCanonical(request.Host) && AliasOf(request.Host) is null)
        {
            request.Host = _canonical;
        }
    }

    private string? AliasOf(HostString host)
    {
        foreach (var alias in _aliases)
        {
            if (string.Equals(host.Value, alias, StringComparison.OrdinalIgnoreCase))
            {
                return alias;
            }
        }

        return null;
    }
}

/// <summary>Puts <see cref="SiteHosts"/> in front of everything that reads the request's host.</summary>
public static class SiteHostsMiddleware
{
    /// <summary>After <c>UseForwardedHeaders</c>, which may set the host from a trusted proxy's <c>X-Forwarded-Host</c>.</summary>
    public static IApplicationBuilder UseFeedsSiteHosts(this IApplicationBuilder app)
    {
        var hosts = app.ApplicationServices.GetRequiredService<SiteHosts>();
        return app.Use((context, next) =>
        {
            hosts.Canonicalise(context.Request);
            return next(context);
        });
    }
}
