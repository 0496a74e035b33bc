using System.Collections.Concurrent;
using Feeds.Server.Hosting;
using Feeds.Server.Publishing;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// Where this site's feeds say their hub is (WebSub section 4): the built-in hub at <c>{BaseUrl}/websub</c>, or the
/// external one configured. Also makes the <c>Link</c> header that names hub and topic, once per topic.
/// </summary>
public sealed class WebSubDiscovery(IOptions<WebSubOptions> options, IOptions<FeedsOptions> site)
{
    /// <summary>Headers kept for reuse; readers roaming over combinations cannot grow it past this.</summary>
    private const int MaxKept = 4096;

    private readonly ConcurrentDictionary<string, string> _linkHeaders = new(StringComparer.Ordinal);

    public string HubUrl { get; } = options.Value.ExternalHub?.AbsoluteUri ?? site.Value.Absolute("/websub");

    /// <summary><c>&lt;hub&gt;; rel="hub", &lt;topic&gt;; rel="self"</c>, one header for both as section 4 suggests.</summary>
    public string LinkHeader(string topic) =>
        _linkHeaders.TryGetValue(topic, out var header) ? header
        : _linkHeaders.Count < MaxKept ? _linkHeaders.GetOrAdd(topic, Make)
        : Make(topic);

    private string Make(string topic) => $"<{HubUrl}>; rel=\"hub\", <{topic}>; rel=\"self\"";

    /// <inheritdoc cref="LinkHeader(string)"/>
    public string LinkHeader(string feedKey, string format) => LinkHeader(FeedUrls.Feed(site.Value.BaseUrlTrimmed, feedKey, format));
}
