using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Feeds.Core.Links;

/// <summary>
/// The site a link points to, as pages name it beside a post's title and as <c>/site/{domain}</c> lists it: the link's
/// host in lower case and punycode, without a leading <c>www.</c>. Other subdomains are sites of their own
/// (<c>blog.example.com</c> is not <c>example.com</c>): on shared hosts such as <c>github.io</c> each subdomain is
/// someone else's site, and telling those apart from one owner's would take the public suffix list.
/// </summary>
public static class LinkSites
{
    private const int MaxDomainLength = 253;

    private static readonly IdnMapping _idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The site of <paramref name="url"/>; empty when it has no host (not an absolute URL).</summary>
    public static string Of(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IdnHost.Length == 0)
        {
            return "";
        }

        var host = uri.IdnHost.ToLowerInvariant();
        return uri.HostNameType == UriHostNameType.Dns ? WithoutWww(host.TrimEnd('.')) : host;
    }

    /// <summary>
    /// The site a reader's <paramref name="text"/> names (<c>Example.COM</c>, <c>www.example.com</c>, <c>bücher.example</c>)
    /// in its one form (<c>example.com</c>, <c>xn--bcher-kva.example</c>); false for text that is no domain name.
    /// </summary>
    public static bool TryNormalize(string text, [NotNullWhen(true)] out string? site)
    {
        site = null;
        var trimmed = text.Trim().TrimEnd('.');
        if (trimmed.Length is 0 or > MaxDomainLength || trimmed.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        if (System.Net.IPAddress.TryParse(trimmed.Trim('[', ']'), out var address))
        {
            site = address.ToString();
            return true;
        }

        try
        {
            var ascii = _idn.GetAscii(trimmed).ToLowerInvariant();
            site = WithoutWww(ascii);
            return site.Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>How a reader reads <paramref name="site"/>: an internationalised name in its own letters (<c>bücher.example</c>).</summary>
    public static string Display(string site)
    {
        if (!site.Contains("xn--", StringComparison.Ordinal))
        {
            return site;
        }

        try
        {
            return _idn.GetUnicode(site);
        }
        catch (ArgumentException)
        {
            return site;
        }
    }

    private static string WithoutWww(string host) =>
        host.StartsWith("www.", StringComparison.Ordinal) && host.IndexOf('.', 4) > 0 ? host[4..] : host;
}
