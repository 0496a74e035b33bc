namespace Feeds.Cli.Bookmarks;

/// <summary>
/// What reading a file gave: the items to import, oldest first, and notes on what was left out or changed. The items
/// are made as they are enumerated, so an import sends its first batch before the last bookmark of a large file is
/// read; the notes about an item are among <see cref="Notes"/> once it has been made.
/// </summary>
/// <param name="notes">The notes about each bookmark or post, in file order (null where there are none).</param>
internal sealed class ImportFile(string format, int count, IEnumerable<ImportItem> items, IReadOnlyList<string>?[] notes, int duplicates, int notLinks)
{
    /// <summary>What the file was read as: "Netscape bookmarks", "Pinboard JSON" or "Feeds export".</summary>
    public string Format => format;

    /// <summary>How many items <see cref="Items"/> makes.</summary>
    public int Count => count;

    public IEnumerable<ImportItem> Items => items;

    /// <summary>The notes so far, in file order.</summary>
    public IReadOnlyList<string> Notes => [.. notes.OfType<IReadOnlyList<string>>().SelectMany(n => n)];

    /// <summary>Bookmarks left out because an earlier one in the file has the same link.</summary>
    public int Duplicates => duplicates;

    /// <summary>Bookmarks and posts left out because their link is not an http or https one.</summary>
    public int NotLinks => notLinks;
}
