using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// Reads an import file in any of the formats <c>feeds import</c> takes, telling them apart by content, and turns
/// bookmarks into posts by these rules:
/// <list type="bullet">
/// <item>a private or unread bookmark becomes a draft, any other a post published when it was bookmarked;</item>
/// <item>the description becomes the commentary, the bookmark's date the post's creation (and publication) time;</item>
/// <item>only http and https links are posts: others (<c>place:</c>, <c>javascript:</c>, <c>file:</c>) are left out with a note;</item>
/// <item>a URL seen earlier in the same file is the same bookmark filed twice: the first is imported, the rest are
/// counted as duplicates (Feeds exports are exempt: a link blog may post one link twice, and each post is kept);</item>
/// <item>text is made acceptable rather than refused: control characters are dropped, white space in titles collapsed,
/// a missing title replaced by the URL, a title over 500 characters shortened; tags without a letter or digit, or over
/// 100 characters, are dropped, and only the first 20 are kept;</item>
/// <item>every item carries an import key (from its URL and date, or a Feeds post's id), so importing the file again,
/// or after an interruption, adds nothing that is already there;</item>
/// <item>a post from a Feeds export keeps its id and slug, so its feed entry id and permalink survive the move.</item>
/// </list>
/// </summary>
internal static class BookmarkImport
{
    private const int MaxTitleLength = PostLimits.MaxTitleLength;
    private const int MaxCommentaryLength = PostLimits.MaxCommentaryLength;
    private const int MaxTags = PostLimits.MaxTags;
    private const int MaxTagLength = PostLimits.MaxTagNameLength;

    public static readonly string[] Formats = ["auto", "feeds", "pinboard", "netscape"];

    public static async Task<ImportFile> LoadAsync(string path, TextReader stdin, string format, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = path == "-" ? await stdin.ReadToEndAsync(cancellationToken) : File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read {path}: {e.Message}");
        }

        var start = text.AsSpan().TrimStart();
        var first = start.IsEmpty ? '\0' : start[0];
        if (format == "auto")
        {
            format = first switch
            {
                '{' => "feeds",
                '[' => "pinboard",
                _ when NetscapeBookmarks.Looks(text) => "netscape",
                _ => throw new CliException(ExitCodes.Usage, $"{path} is not a file feeds can import: expected a Feeds export, Pinboard JSON or a Netscape bookmark file (browsers, Pinboard, Shaarli, linkding, del.icio.us)."),
            };
        }

        return format switch
        {
            "netscape" => FromBookmarks("Netscape bookmarks", NetscapeBookmarks.Find(text)),
            "pinboard" => FromBookmarks("Pinboard JSON", [.. PinboardJson.Read(Json(text, path, JsonValueKind.Array)).Select(b => new FoundBookmark(b.Position, b.Url, b.Added, () => b))]),
            _ => FromFeeds(Json(text, path, JsonValueKind.Object), path, now),
        };
    }

    /// <summary>
    /// The import key of a bookmark: the same link saved at the same second is the same bookmark. The key starts with the
    /// time, so an import (oldest first) adds its keys at the end of the server's key index instead of all over it.
    /// </summary>
    public static string Key(string url, DateTimeOffset? added)
    {
        var seconds = added?.ToUnixTimeSeconds();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{url}\n{seconds}"));
        var time = seconds is { } s and >= 0 ? s.ToString("x10", CultureInfo.InvariantCulture) : "undated";
        return $"bm-{time}-{Convert.ToHexStringLower(hash, 0, 12)}";
    }

    private static ImportFile FromFeeds(JsonElement document, string path, DateTimeOffset now)
    {
        if (!FeedsExport.Looks(document))
        {
            throw new CliException(ExitCodes.Usage, $"{path} is JSON but not a Feeds export (no \"format\": \"{FeedsExport.FormatName}\").");
        }

        var notes = new List<string>();
        var items = new List<ImportItem>();
        var notLinks = 0;
        foreach (var item in FeedsExport.Read(document, now))
        {
            if (UrlProblem(item.Url) is { } problem)
            {
                notes.Add($"#{item.Position} {item.Url}: left out, {problem}");
                notLinks++;
                continue;
            }

            items.Add(item);
        }

        return new ImportFile("Feeds export", items.Count, Oldest(items, i => i.Time, i => i.Position), [notes], 0, notLinks);
    }

    private static ImportFile FromBookmarks(string format, List<FoundBookmark> bookmarks)
    {
        var notes = new IReadOnlyList<string>?[bookmarks.Count];
        var problems = new string?[bookmarks.Count];
        Parallel.For(0, bookmarks.Count, i => problems[i] = UrlProblem(bookmarks[i].Url));
        var kept = new List<int>(bookmarks.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        var notLinks = 0;
        for (var i = 0; i < bookmarks.Count; i++)
        {
            var bookmark = bookmarks[i];
            if (problems[i] is { } problem)
            {
                notes[i] = [$"#{bookmark.Position} {Shorten(bookmark.Url)}: left out, {problem}"];
                notLinks++;
            }
            else if (!seen.Add(bookmark.Url))
            {
                duplicates++;
            }
            else
            {
                kept.Add(i);
            }
        }

        // Each item is made from the whole bookmark only when the import reaches it.
        var order = Oldest(kept, i => bookmarks[i].Added, i => bookmarks[i].Position);
        return new ImportFile(format, order.Length, order.Select(Item), notes, duplicates, notLinks);

        ImportItem Item(int i)
        {
            var itemNotes = new List<string>(0);
            notes[i] = itemNotes;
            return ToItem(bookmarks[i].Read(), itemNotes);
        }
    }

    private static ImportItem ToItem(Bookmark bookmark, List<string> notes)
    {
        var draft = bookmark.Private || bookmark.ToRead;
        var title = CleanTitle(bookmark.Title);
        if (title.Length == 0)
        {
            title = bookmark.Url.Length <= MaxTitleLength ? bookmark.Url : Cut(bookmark.Url, MaxTitleLength);
        }
        else if (title.Length > MaxTitleLength)
        {
            title = Cut(title, MaxTitleLength);
            notes.Add($"#{bookmark.Position} {Shorten(bookmark.Url)}: title shortened to {MaxTitleLength} characters");
        }

        var commentary = CleanCommentary(bookmark.Description);
        if (commentary.Length > MaxCommentaryLength)
        {
            commentary = Cut(commentary, MaxCommentaryLength);
            notes.Add($"#{bookmark.Position} {Shorten(bookmark.Url)}: description shortened to {MaxCommentaryLength} characters");
        }

        return new ImportItem
        {
            Position = bookmark.Position,
            Url = bookmark.Url,
            Title = title,
            Commentary = commentary,
            Tags = CleanTags(bookmark, notes),
            Status = draft ? "draft" : "published",
            CreatedAt = bookmark.Added,
            PublishedAt = draft ? null : bookmark.Added,
            UpdatedAt = bookmark.Modified is { } modified && (bookmark.Added is null || modified > bookmark.Added) ? modified : null,
            ImportKey = Key(bookmark.Url, bookmark.Added),
        };
    }

    private static List<string> CleanTags(Bookmark bookmark, List<string> notes)
    {
        var tags = new List<string>();
        foreach (var raw in bookmark.Tags)
        {
            var tag = string.Join(' ', Printable(raw, lineBreaks: false).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (tag.Length == 0 || tags.Exists(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (tag.Length > MaxTagLength || !tag.Any(char.IsLetterOrDigit))
            {
                notes.Add($"#{bookmark.Position} {Shorten(bookmark.Url)}: tag '{Shorten(tag)}' left out (it needs a letter or digit and at most {MaxTagLength} characters)");
                continue;
            }

            tags.Add(tag);
        }

        if (tags.Count > MaxTags)
        {
            notes.Add($"#{bookmark.Position} {Shorten(bookmark.Url)}: only the first {MaxTags} of {tags.Count} tags kept");
            tags.RemoveRange(MaxTags, tags.Count - MaxTags);
        }

        return tags;
    }

    private static string CleanTitle(string? title) =>
        title is null ? "" : string.Join(' ', Printable(title, lineBreaks: false).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string CleanCommentary(string? text) =>
        text is null ? "" : Printable(text.ReplaceLineEndings("\n"), lineBreaks: true).Trim();

    /// <summary>The text without what the server refuses: control characters (but tab and line feed where allowed), unpaired surrogates, U+FFFE and U+FFFF.</summary>
    private static string Printable(string text, bool lineBreaks)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (lineBreaks && c is '\n' or '\t')
            {
                clean.Append(c);
            }
            else if (char.IsControl(c))
            {
                clean.Append(lineBreaks ? "" : " ");
            }
            else if (!char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF')
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary>The server's rule for a link, worded for a note about a bookmark.</summary>
    private static string? UrlProblem(string url) =>
        PostLimits.UrlProblem(url) is null ? null
        : url.Length > PostLimits.MaxUrlLength ? $"URL longer than {PostLimits.MaxUrlLength} characters"
        : "not an http or https link";

    /// <summary>Oldest first, so the import replays history in order; items without a date go last, in file order.</summary>
    private static T[] Oldest<T>(IEnumerable<T> items, Func<T, DateTimeOffset?> time, Func<T, int> position) =>
        [.. items.OrderBy(i => time(i) is null).ThenBy(time).ThenBy(position)];

    private static string Cut(string text, int length)
    {
        var cut = length - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static JsonElement Json(string text, string path, JsonValueKind kind)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != kind)
            {
                throw new CliException(ExitCodes.Usage, $"{path}: expected a JSON {(kind == JsonValueKind.Array ? "array" : "object")}.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"{path} is not valid JSON: {e.Message}");
        }
    }
}
