using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Feeds.Cli.Api;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// The Netscape bookmark file: what browsers, Pinboard, Shaarli, linkding and del.icio.us export. Each bookmark is
/// <c>&lt;DT&gt;&lt;A HREF ADD_DATE LAST_MODIFIED TAGS PRIVATE TOREAD&gt;title&lt;/A&gt;</c>, optionally followed by
/// <c>&lt;DD&gt;description</c> running to the next <c>&lt;DT&gt;</c>. Read leniently: it is HTML nobody validates.
/// </summary>
internal static partial class NetscapeBookmarks
{
    public static bool Looks(string text) =>
        text.Contains("NETSCAPE-Bookmark-file", StringComparison.OrdinalIgnoreCase) || Anchor().IsMatch(text);

    /// <summary>
    /// The bookmarks of <paramref name="text"/>, in file order, each with its link and date; the rest of each (title,
    /// description, tags, flags) is read when asked for. Finding the anchors is one pass; reading their attributes is
    /// spread over the cores.
    /// </summary>
    public static List<FoundBookmark> Find(string text)
    {
        var anchors = Anchor().Matches(text).ToArray();
        var links = new (string Url, DateTimeOffset? Added)?[anchors.Length];
        Parallel.For(0, anchors.Length, i => links[i] = Link(text, anchors[i].Groups[1]));
        var found = new List<FoundBookmark>(anchors.Length);
        for (var i = 0; i < anchors.Length; i++)
        {
            if (links[i] is var (url, added))
            {
                var anchor = anchors[i];
                var position = found.Count + 1;
                found.Add(new FoundBookmark(position, url, added, () => Read(text, anchor, position, url, added)));
            }
        }

        return found;
    }

    /// <summary>The link and date among an anchor's attributes; null for an anchor without a link.</summary>
    private static (string Url, DateTimeOffset? Added)? Link(string text, Group attributes)
    {
        string? href = null;
        string? added = null;
        for (var attribute = Attribute().Match(text, attributes.Index, attributes.Length); attribute.Success; attribute = attribute.NextMatch())
        {
            var name = attribute.Groups[1].ValueSpan;
            if (href is null && name.Equals("href", StringComparison.OrdinalIgnoreCase))
            {
                href = Value(attribute);
            }
            else if (added is null && name.Equals("add_date", StringComparison.OrdinalIgnoreCase))
            {
                added = Value(attribute);
            }
        }

        return href is null ? null : (href.Trim(), Time(added));
    }

    /// <summary>The bookmark of an anchor <see cref="Find"/> found.</summary>
    private static Bookmark Read(string text, Match anchor, int position, string url, DateTimeOffset? added)
    {
        var attributes = Attributes(anchor.Groups[1].Value);
        var description = Description().Match(text, anchor.Index + anchor.Length) is { Success: true } dd ? DescriptionText(dd.Groups[1].Value) : null;
        return new Bookmark(
            position,
            url,
            InlineText(anchor.Groups[2].Value),
            description,
            attributes.GetValueOrDefault("tags") is { } tags ? tags.Split(',') : [],
            added,
            Time(attributes.GetValueOrDefault("last_modified")),
            Flag(attributes.GetValueOrDefault("private")),
            Flag(attributes.GetValueOrDefault("toread")));
    }

    /// <summary>
    /// Writes posts as a bookmark file: ADD_DATE is the first publication (creation for drafts), LAST_MODIFIED the last
    /// edit, drafts and scheduled posts are PRIVATE, commentary goes in DD. The format has no place for "via", for
    /// times finer than a second or for commas in tag names (written as spaces).
    /// </summary>
    public static async Task WriteHeaderAsync(TextWriter writer)
    {
        await writer.WriteAsync("""
            <!DOCTYPE NETSCAPE-Bookmark-file-1>
            <!-- Exported by feeds. -->
            <META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
            <TITLE>Bookmarks</TITLE>
            <H1>Bookmarks</H1>
            <DL><p>

            """);
    }

    public static async Task WritePostAsync(TextWriter writer, PostResponse post)
    {
        var published = post.Status == "published";
        var added = Seconds(published ? post.PublishedAt : post.CreatedAt);
        var line = new StringBuilder("<DT><A HREF=\"").Append(Encode(post.Url, attribute: true)).Append('"');
        if (added is not null)
        {
            line.Append(" ADD_DATE=\"").Append(added).Append('"');
        }

        if (Seconds(post.UpdatedAt) is { } modified)
        {
            line.Append(" LAST_MODIFIED=\"").Append(modified).Append('"');
        }

        line.Append(" PRIVATE=\"").Append(published ? '0' : '1').Append('"');
        var tags = post.Tags.Select(t => t.Replace(',', ' '));
        line.Append(" TAGS=\"").Append(Encode(string.Join(',', tags), attribute: true)).Append("\">");
        line.Append(Encode(post.Title, attribute: false)).Append("</A>\n");
        if (post.Commentary is { Length: > 0 } commentary)
        {
            line.Append("<DD>").Append(Encode(commentary, attribute: false)).Append('\n');
        }

        await writer.WriteAsync(line.ToString());
    }

    public static Task WriteFooterAsync(TextWriter writer) => writer.WriteAsync("</DL><p>\n");

    /// <summary>
    /// Seconds since 1970 as ADD_DATE usually holds them; larger numbers are taken as milliseconds or microseconds
    /// (some exporters use those), and anything else is tried as an ISO 8601 date.
    /// </summary>
    public static DateTimeOffset? Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            if (number <= 0)
            {
                return null;
            }

            try
            {
                return number switch
                {
                    > 100_000_000_000_000 => DateTimeOffset.FromUnixTimeMilliseconds(number / 1000),
                    > 100_000_000_000 => DateTimeOffset.FromUnixTimeMilliseconds(number),
                    _ => DateTimeOffset.FromUnixTimeSeconds(number),
                };
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime() : null;
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in Attribute().Matches(text))
        {
            attributes.TryAdd(attribute.Groups[1].Value, Value(attribute));
        }

        return attributes;
    }

    /// <summary>An attribute's value, whether double-quoted, single-quoted or bare, with its character references decoded.</summary>
    private static string Value(Match attribute) => WebUtility.HtmlDecode(
        attribute.Groups[3].Success ? attribute.Groups[3].Value
        : attribute.Groups[4].Success ? attribute.Groups[4].Value
        : attribute.Groups[5].Value);

    private static bool Flag(string? value) => value is not null && value.Trim() is "1" or "true" or "yes";

    private static string InlineText(string html) => WebUtility.HtmlDecode(Tag().Replace(html, ""));

    private static string DescriptionText(string html) => WebUtility.HtmlDecode(LineBreak().Replace(html, "\n")).TrimEnd();

    private static string? Seconds(DateTime? time) =>
        time is { } at
            ? new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            : null;

    private static string Encode(string text, bool attribute)
    {
        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                '\n' when attribute => "&#10;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    [GeneratedRegex("""<a\s((?:[^>"']|"[^"]*"|'[^']*')*)>(.*?)</a\s*>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Anchor();

    [GeneratedRegex("""\G\s*<dd>(.*?)(?=<dt>|<dl[\s>]|</dl>|<h3|<hr|<a\s|\z)""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Description();

    [GeneratedRegex("""([a-zA-Z_][-a-zA-Z0-9_]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))""")]
    private static partial Regex Attribute();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<br\s*/?>\r?\n?", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();
}
