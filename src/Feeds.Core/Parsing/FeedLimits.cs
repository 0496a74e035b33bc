namespace Feeds.Core.Parsing;

/// <summary>The limits every upstream document is held to, whatever its format.</summary>
public static class FeedLimits
{
    /// <summary>Larger bodies are refused before any parsing.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Documents with more items are refused rather than truncated: no honest feed carries that many,
    /// and keeping an arbitrary first part would silently drop items the poller then never sees.
    /// </summary>
    public const int MaxItems = 10_000;

    /// <summary>Element nesting deeper than this is refused; real feeds, XHTML content included, stay far below it.</summary>
    public const int MaxDepth = 256;
}
