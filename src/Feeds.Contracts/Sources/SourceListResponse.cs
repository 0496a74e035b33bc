namespace Feeds.Contracts.Sources;

/// <summary>Every source.</summary>
public sealed record SourceListResponse(IReadOnlyList<SourceResponse> Items);
