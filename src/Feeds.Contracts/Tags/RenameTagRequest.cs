namespace Feeds.Contracts.Tags;

/// <summary>The body of <c>POST /api/tags/{slug}/rename</c>: the tag's new name.</summary>
public sealed record RenameTagRequest(string? To);
