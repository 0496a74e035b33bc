namespace Feeds.Cli.Bookmarks;

/// <summary>What <c>feeds import --json</c> prints: how many items the file held and what became of them.</summary>
internal sealed record ImportSummary(
    string Format,
    int Items,
    int Created,
    int Existing,
    int Duplicates,
    int NotLinks,
    IReadOnlyList<RefusedItem> Refused,
    IReadOnlyList<string> Notes);
