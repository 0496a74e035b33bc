namespace Feeds.Core.Syndication;

/// <summary>Which of the Syndication formatters a document is written through.</summary>
internal enum FeedFormat
{
    Atom,
    Rss,
}
