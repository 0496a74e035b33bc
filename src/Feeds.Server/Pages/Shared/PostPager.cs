namespace Feeds.Server.Pages.Shared;

/// <summary>Where a page of posts sits: the first page's URL and, when there are older posts, the next page's.</summary>
public sealed record PostPager(bool IsFirstPage, string FirstUrl, string? OlderUrl);
