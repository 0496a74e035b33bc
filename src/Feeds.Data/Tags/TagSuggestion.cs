namespace Feeds.Data.Tags;

/// <summary>A tag offered while the author types, with how many posts (of any status) carry it.</summary>
public sealed record TagSuggestion
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public long Posts { get; init; }
}
