namespace Feeds.Core.WebSub;

/// <summary>
/// Where a topic says its hub is and what it calls itself (WebSub section 4): the <c>rel="hub"</c> and <c>rel="self"</c>
/// of the HTTP <c>Link</c> header when it names both, else of the document. Both are needed: the self URL is the topic a
/// subscriber names to the hub.
/// </summary>
public sealed record WebSubLinks(Uri Hub, Uri Self)
{
    /// <summary>The links discovered, or null when neither the header nor the document gives a hub and a self URL.</summary>
    /// <param name="linkHeaders">The response's <c>Link</c> header values (RFC 8288).</param>
    /// <param name="baseUrl">The URL the response came from, which relative targets resolve against.</param>
    public static WebSubLinks? Discover(IEnumerable<string> linkHeaders, Uri baseUrl, Uri? documentHub, Uri? documentSelf)
    {
        ArgumentNullException.ThrowIfNull(linkHeaders);
        Uri? hub = null;
        Uri? self = null;
        foreach (var (target, rels) in linkHeaders.SelectMany(Parse))
        {
            if (!Uri.TryCreate(baseUrl, target, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                continue;
            }

            hub ??= rels.Contains("hub", StringComparer.OrdinalIgnoreCase) ? url : null;
            self ??= rels.Contains("self", StringComparer.OrdinalIgnoreCase) ? url : null;
        }

        if (hub is not null && self is not null)
        {
            return new WebSubLinks(hub, self);
        }

        return documentHub is not null && documentSelf is not null ? new WebSubLinks(documentHub, documentSelf) : null;
    }

    /// <summary>The links of one header value: <c>&lt;target&gt;; rel="a b", &lt;target&gt;; rel=c</c>.</summary>
    private static IEnumerable<(string Target, string[] Rels)> Parse(string header)
    {
        var at = 0;
        while (at < header.Length)
        {
            var open = header.IndexOf('<', at);
            var close = open < 0 ? -1 : header.IndexOf('>', open + 1);
            if (close < 0)
            {
                yield break;
            }

            var target = header[(open + 1)..close].Trim();
            // The link's parameters run to the next comma outside quotes.
            var end = close + 1;
            var quoted = false;
            while (end < header.Length && (quoted || header[end] != ','))
            {
                quoted ^= header[end] == '"';
                end++;
            }

            string[] rels = [];
            foreach (var parameter in header[(close + 1)..end].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    rels = parameter[(equals + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
                }
            }

            yield return (target, rels);
            at = end + 1;
        }
    }
}
