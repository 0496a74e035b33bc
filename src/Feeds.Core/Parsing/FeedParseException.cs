namespace Feeds.Core.Parsing;

/// <summary>Why a document could not be read as a feed; the message is written for the person who owns the source.</summary>
public sealed class FeedParseException : Exception
{
    public FeedParseException(string message)
        : base(message)
    {
    }

    public FeedParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FeedParseException()
    {
    }
}
