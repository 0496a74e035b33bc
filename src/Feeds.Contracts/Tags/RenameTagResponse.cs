namespace Feeds.Contracts.Tags;

/// <summary>The tag after a rename, the slug it had, and whether it was merged into a tag that existed already.</summary>
public sealed record RenameTagResponse(string Slug, string Name, string PreviousSlug, bool Merged);
