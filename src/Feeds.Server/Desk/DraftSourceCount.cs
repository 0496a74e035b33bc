namespace Feeds.Server.Desk;

/// <summary>One filter of the drafts queue: a source (or the author's own drafts, <c>own</c>) and how many drafts wait there.</summary>
public sealed record DraftSourceCount(string Filter, string Name, long Count);
