using System.Buffers;
using System.ServiceModel.Syndication;

namespace Feeds.Core.Syndication;

/// <summary>Atom 1.0 (RFC 4287) with RFC 5005 paging and archive links.</summary>
public sealed class AtomFeedWriter : IFeedWriter
{
    internal const string PlainMediaType = "application/atom+xml";

    public string MediaType => PlainMediaType + "; charset=utf-8";

    public string FileExtension => "atom";

    public void Write(FeedDocument feed, Stream destination) =>
        SyndicationMapping.Write(Formatter(feed), destination);

    private static Atom10FeedFormatter Formatter(FeedDocument feed) => new(SyndicationMapping.ToSyndicationFeed(feed, FeedFormat.Atom));

    public void Write(FeedDocument feed, IBufferWriter<byte> destination) =>
        SyndicationMapping.Write(Formatter(feed), destination);
}
