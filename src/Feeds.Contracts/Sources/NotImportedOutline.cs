namespace Feeds.Contracts.Sources;

/// <summary>An outline an import left out: its place among the document's feed outlines (from 1), its URL as written, and why.</summary>
public sealed record NotImportedOutline(int Outline, string Url, string Reason);
