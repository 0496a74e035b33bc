using System.Buffers;
using System.ServiceModel.Syndication;

namespace Feeds.Core.Syndication;

/// <summary>
/// RSS 2.0. What RSS lacks is carried in the Atom namespace, as readers expect: <c>atom:link</c> for
/// <c>rel="self"</c> and the RFC 5005 links, <c>atom:updated</c>; the entry's <c>tag:</c> id is a
/// <c>guid</c> with <c>isPermaLink="false"</c>.
/// </summary>
public sealed class RssFeedWriter : IFeedWriter
{
    internal const string PlainMediaType = "application/rss+xml";

    public string MediaType => PlainMediaType + "; charset=utf-8";

    public string FileExtension => "rss";

    public void Write(FeedDocument feed, Stream destination) =>
        SyndicationMapping.Write(Formatter(feed), destination);

    private static Rss20FeedFormatter Formatter(FeedDocument feed) => new(SyndicationMapping.ToSyndicationFeed(feed, FeedFormat.Rss));

    public void Write(FeedDocument feed, IBufferWriter<byte> destination) =>
        SyndicationMapping.Write(Formatter(feed), destination);
}
