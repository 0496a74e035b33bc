using System.Globalization;
using System.Security;
using System.Text;

namespace Feeds.Server.Tests.Sources;

/// <summary>One item of a generated feed.</summary>
public sealed record TestItem(string Id, string Title, string Link, DateTimeOffset? Published, string? Description = null, params string[] Categories);

/// <summary>Generates RSS 2.0 documents to serve from <see cref="Upstream"/>.</summary>
public static class TestFeeds
{
    public static string Rss(string title, string siteUrl, IEnumerable<TestItem> items, int? ttl = null, string? extra = null)
    {
        var xml = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>")
            .Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title><link>{Escape(siteUrl)}</link><description>test</description>");
        if (ttl is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<ttl>{ttl}</ttl>");
        }

        xml.Append(extra);
        foreach (var item in items)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><guid isPermaLink=\"false\">{Escape(item.Id)}</guid><title>{Escape(item.Title)}</title><link>{Escape(item.Link)}</link>");
            if (item.Published is { } published)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<pubDate>{published.ToUniversalTime():R}</pubDate>");
            }

            if (item.Description is not null)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<description>{Escape(item.Description)}</description>");
            }

            foreach (var category in item.Categories)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<category>{Escape(category)}</category>");
            }

            xml.Append("</item>");
        }

        return xml.Append("</channel></rss>\n").ToString();
    }

    /// <summary>
    /// <paramref name="count"/> items published a minute apart before <paramref name="newest"/>, newest first, with ids
    /// <c>{prefix}-{n}</c>. Pass the service's <see cref="Infrastructure.FeedsServer.Now"/> for items in its recent past.
    /// </summary>
    public static List<TestItem> Recent(string prefix, int count, DateTimeOffset newest) =>
        [.. Enumerable.Range(1, count).Select(n => new TestItem(
            $"{prefix}-{n}", $"{prefix} item {n}", $"https://example.com/{prefix}/{n}", newest.AddMinutes(-n)))];

    public static string Html(string title, params string[] alternateLinks) =>
        $"<!DOCTYPE html><html><head><title>{Escape(title)}</title>"
        + string.Concat(alternateLinks.Select(l => $"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{Escape(l)}\">"))
        + "</head><body><p>A page</p></body></html>";

    private static string Escape(string text) => SecurityElement.Escape(text);
}

/// <summary>The parser's fixture documents, read from the repository.</summary>
public static class ParsingFixtures
{
    public static string Read(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feeds.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, "tests", "Feeds.Core.Tests", "testdata", "parsing", name));
            }
        }

        throw new FileNotFoundException("Feeds.sln not found above " + AppContext.BaseDirectory);
    }
}
