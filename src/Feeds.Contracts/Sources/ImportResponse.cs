namespace Feeds.Contracts.Sources;

/// <summary>
/// The answer of an OPML import. <see cref="Outlines"/> counts the outlines that name a feed; each is either created or
/// skipped, and every skipped one is in <see cref="NotImported"/> with the reason. <see cref="Errors"/> maps the URL of
/// each refused one (not http(s), a blocked address or port, a name that does not resolve) to the reason.
/// </summary>
public sealed record ImportResponse(int Outlines, int Created, int Skipped, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<NotImportedOutline> NotImported);
