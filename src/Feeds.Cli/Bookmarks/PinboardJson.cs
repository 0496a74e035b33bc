using System.Globalization;
using System.Text.Json;
using Feeds.Cli.Api;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// Pinboard's JSON export: an array of <c>{"href", "description" (the title), "extended" (the notes), "tags"
/// (space-separated), "time", "shared": "yes"|"no", "toread": "yes"|"no"}</c>. Times are ISO 8601 strings, or seconds
/// since 1970 in some re-exports.
/// </summary>
internal static class PinboardJson
{
    public static List<Bookmark> Read(JsonElement array)
    {
        var bookmarks = new List<Bookmark>();
        foreach (var item in array.EnumerateArray())
        {
            var position = bookmarks.Count + 1;
            if (item.ValueKind != JsonValueKind.Object || item.Str("href") is not { } href)
            {
                throw new CliException(ExitCodes.Usage, $"item {position} of the Pinboard file has no \"href\".");
            }

            var tags = item.Prop("tags") switch
            {
                { ValueKind: JsonValueKind.String } text => text.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                { ValueKind: JsonValueKind.Array } list => [.. list.EnumerateArray().Select(t => t.ToString())],
                _ => [],
            };
            bookmarks.Add(new Bookmark(
                position,
                href.Trim(),
                item.Str("description"),
                item.Str("extended"),
                tags,
                Time(item.Prop("time")),
                null,
                Private: item.Str("shared") is "no",
                ToRead: item.Str("toread") is "yes"));
        }

        return bookmarks;
    }

    private static DateTimeOffset? Time(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => NetscapeBookmarks.Time(value.GetString()),
        JsonValueKind.Number when value.TryGetInt64(out var seconds) => NetscapeBookmarks.Time(seconds.ToString(CultureInfo.InvariantCulture)),
        _ => null,
    };
}
