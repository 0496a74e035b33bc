using System.Text;

namespace Feeds.Core.Links;

/// <summary>
/// The one form of a link under which two ways of writing the same page are found to be one: the scheme and host in
/// lower case (an internationalised host in punycode), no default port, no fragment, no <c>utm_*</c> tracking
/// parameters and no trailing slash. Only for comparing; a post keeps the URL as it was given.
/// </summary>
public static class LinkUrls
{
    /// <summary>The normal form of <paramref name="url"/>; the text itself (trimmed) when it is not an absolute URL.</summary>
    public static string Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return trimmed;
        }

        var normal = new StringBuilder(trimmed.Length);
        normal.Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            normal.Append(uri.UserInfo).Append('@');
        }

        normal.Append(uri.IdnHost.ToLowerInvariant());
        if (!uri.IsDefaultPort)
        {
            normal.Append(':').Append(uri.Port);
        }

        normal.Append(uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped).TrimEnd('/'));

        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !pair.StartsWith("utm_", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (kept.Count > 0)
        {
            normal.Append('?').AppendJoin('&', kept);
        }

        return normal.ToString();
    }
}
