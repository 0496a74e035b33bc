namespace Feeds.Core.Syndication;

/// <summary>Where one document of a feed sits: its own URL and its RFC 5005 paging or archive neighbours.</summary>
public sealed record FeedPage
{
    /// <summary>The URL of this document in the format being written, as the reader requested it.</summary>
    public required string SelfUrl { get; init; }

    public string? FirstUrl { get; init; }
    public string? NextUrl { get; init; }
    public string? PreviousUrl { get; init; }
    public string? CurrentUrl { get; init; }
    public string? PrevArchiveUrl { get; init; }
    public string? NextArchiveUrl { get; init; }
    public bool IsArchive { get; init; }

    /// <summary>The WebSub hub the document advertises (<c>rel="hub"</c>, JSON Feed <c>hubs</c>); subscription documents only.</summary>
    public string? HubUrl { get; init; }
}
