namespace Feeds.Contracts.Posts;

/// <summary>Another post of the same link (compared in normal form), as a create answer lists it.</summary>
/// <param name="Date">When it was published, is scheduled, or was drafted.</param>
public sealed record EarlierPostResponse(Guid Id, string Url, string Title, string Status, DateTime Date, string Permalink);
