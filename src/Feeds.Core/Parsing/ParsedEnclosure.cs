namespace Feeds.Core.Parsing;

/// <summary>A media file attached to an item: a podcast episode, a picture, a document.</summary>
/// <param name="Url">Absolute, http or https.</param>
/// <param name="MediaType">The MIME type the feed gives (<c>audio/mpeg</c>); null when it gives none.</param>
/// <param name="Length">The size in bytes the feed gives; null when missing, zero or not a number.</param>
public sealed record ParsedEnclosure(Uri Url, string? MediaType, long? Length);
