using System.Globalization;
using System.Text;

namespace Feeds.Benchmarks.Import;

/// <summary>A bookmark file shaped like a real one: a few thousand sites, a few hundred tags, notes on some, a few private.</summary>
public static class BookmarkFile
{
    private static readonly string[] Words =
    [
        "sqlite", "rust", "python", "design", "the", "of", "database", "notes", "on", "how", "we", "built", "a", "fast", "simple",
        "guide", "to", "writing", "feeds", "caching", "http", "why", "performance", "essay", "history", "small", "web", "tools",
        "linux", "kernel", "async", "memory", "testing", "postgres", "indexes", "lessons", "from", "years", "of", "running",
    ];

    /// <summary>Writes the file, oldest bookmark first, and returns the newest bookmark's URL; <paramref name="prefix"/> keeps its links apart from another file's.</summary>
    public static string Write(string path, int count, string prefix)
    {
        var random = new Random(42);
        var tags = Enumerable.Range(0, 300).Select(i => $"{Words[i % Words.Length]}{(i < Words.Length ? "" : (i / Words.Length).ToString(CultureInfo.InvariantCulture))}").ToArray();
        // Fixed instants, all in the past, so the same file comes out on any day and the service refuses none of its dates.
        var start = new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var end = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n");
        var newest = "";
        for (var i = 0; i < count; i++)
        {
            var added = start + ((end - start) * i / Math.Max(1, count));
            var url = $"https://site{random.Next(3000)}.example/{Words[random.Next(Words.Length)]}/{prefix}{i}";
            var title = string.Join(' ', Enumerable.Range(0, 3 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)]));
            var postTags = string.Join(',', Enumerable.Range(0, random.Next(6)).Select(_ => tags[(int)Math.Min(tags.Length - 1, Math.Abs(random.NextDouble() - random.NextDouble()) * tags.Length)]).Distinct());
            var flags = random.Next(100) switch
            {
                < 8 => " PRIVATE=\"1\"",
                < 12 => " TOREAD=\"1\"",
                _ => "",
            };
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"<DT><A HREF=\"{url}\" ADD_DATE=\"{added}\"{flags} TAGS=\"{postTags}\">{char.ToUpperInvariant(title[0])}{title[1..]} &amp; more</A>\n"));
            if (random.Next(100) < 40)
            {
                writer.Write($"<DD>Worth reading for the part on {Words[random.Next(Words.Length)]}. It explains why {string.Join(' ', Enumerable.Range(0, 8 + random.Next(20)).Select(_ => Words[random.Next(Words.Length)]))}.\n");
            }

            if (flags.Length == 0)
            {
                newest = url;
            }
        }

        writer.Write("</DL><p>\n");
        return newest;
    }
}
