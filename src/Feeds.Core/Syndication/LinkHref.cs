namespace Feeds.Core.Syndication;

/// <summary>
/// The one place a URL becomes the text a feed carries, in every format: a URI (RFC 3986), not an IRI, since
/// validators check the URI format and some readers resolve nothing else. Non-ASCII paths and queries are
/// percent-encoded as UTF-8 (<c>Uri.AbsoluteUri</c>) and an internationalised host is written in punycode
/// (<c>Uri.IdnHost</c>), which <c>AbsoluteUri</c> leaves in Unicode. A URL already in that form is taken as it is,
/// without parsing a <see cref="Uri"/>: every URL this service builds is, and parsing two per entry was a tenth of a render.
/// </summary>
internal static class LinkHref
{
    /// <summary>The href for <paramref name="url"/>, or null when it does not parse as a URI.</summary>
    public static string? For(string url)
    {
        if (IsCanonicalHttpUrl(url))
        {
            return url;
        }

        if (!Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri))
        {
            return null;
        }

        if (!uri.IsAbsoluteUri)
        {
            return uri.ToString();
        }

        var host = uri.IdnHost;
        return uri.HostNameType != UriHostNameType.Dns || host == uri.Host
            ? uri.AbsoluteUri
            : uri.GetComponents(UriComponents.Scheme | UriComponents.UserInfo | UriComponents.KeepDelimiter, UriFormat.UriEscaped)
                + host
                + uri.GetComponents(UriComponents.Port | UriComponents.KeepDelimiter, UriFormat.UriEscaped)
                + uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
    }

    /// <summary>The href for <paramref name="url"/>, or the text itself when it does not parse (HTML keeps what it was given).</summary>
    public static string ForHtml(string url) => For(url) ?? url;

    /// <summary>
    /// True when <paramref name="url"/> is an http(s) URL that <see cref="Uri"/> would give back unchanged.
    /// Deliberately narrow, so anything it accepts certainly needs no normalising: a lowercase scheme and
    /// host whose labels start and end with a letter or digit and whose last label starts with a letter (so
    /// never an IP address in some notation), no user information or port, a path, and only characters that
    /// are never escaped; no percent-escapes, no dot segments, at most one '#'. Everything else goes through
    /// <see cref="Uri"/>.
    /// </summary>
    public static bool IsCanonicalHttpUrl(string url)
    {
        var rest = url.AsSpan();
        if (rest.StartsWith("https://", StringComparison.Ordinal))
        {
            rest = rest[8..];
        }
        else if (rest.StartsWith("http://", StringComparison.Ordinal))
        {
            rest = rest[7..];
        }
        else
        {
            return false;
        }

        var hostLength = rest.IndexOf('/');
        if (hostLength <= 0 || !IsPlainHost(rest[..hostLength]))
        {
            return false;
        }

        var path = rest[hostLength..];
        var end = path.IndexOfAny('?', '#');
        if (!IsWithoutDotSegments(end < 0 ? path : path[..end]))
        {
            return false;
        }

        return path.IndexOfAnyExcept(PathCharacters) < 0 && path.Count('#') <= 1;
    }

    /// <summary>Labels of lowercase letters, digits and inner hyphens, the last one starting with a letter.</summary>
    private static bool IsPlainHost(ReadOnlySpan<char> host)
    {
        if (host.IndexOfAnyExcept(HostCharacters) >= 0)
        {
            return false;
        }

        var lastLabelStart = 0;
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.IsEmpty || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            lastLabelStart = range.Start.Value;
        }

        return char.IsAsciiLetterLower(host[lastLabelStart]);
    }

    private static bool IsWithoutDotSegments(ReadOnlySpan<char> path)
    {
        if (!path.Contains("/.", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var range in path.Split('/'))
        {
            if (path[range] is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-");

    /// <summary>Unreserved characters, sub-delimiters, ':', '@', '/', '?' and '#' (RFC 3986): nothing Uri escapes.</summary>
    private static readonly System.Buffers.SearchValues<char> PathCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#");
}
