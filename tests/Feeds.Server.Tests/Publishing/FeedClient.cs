using System.Net.Http.Json;
using System.Xml.Linq;

namespace Feeds.Server.Tests.Publishing;

/// <summary>Reading feeds as a reader does, for assertions.</summary>
public static class FeedClient
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static async Task<XDocument> GetAtomAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public static IReadOnlyList<string> EntryIds(this XDocument feed) =>
        [.. feed.Root!.Elements(Atom + "entry").Select(e => (string)e.Element(Atom + "id")!)];

    public static IReadOnlyList<string> EntryTitles(this XDocument feed) =>
        [.. feed.Root!.Elements(Atom + "entry").Select(e => (string)e.Element(Atom + "title")!)];

    public static string? Link(this XDocument feed, string rel) =>
        (string?)feed.Root!.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href");

    /// <summary>Polls until <paramref name="path"/> answers a document containing <paramref name="title"/>; returns the wait.</summary>
    public static async Task<TimeSpan> WaitForTitleAsync(this HttpClient client, string path, string title, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            var body = await client.GetStringAsync(path);
            if (body.Contains(title, StringComparison.Ordinal))
            {
                return started.Elapsed;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"{path} did not show '{title}' within {timeout}");
    }

    public static async Task<string> PublishAsync(this HttpClient author, string title, params string[] tags)
    {
        var response = await author.PostAsJsonAsync("/api/posts", new { url = $"https://example.com/{Guid.NewGuid():N}", title, commentary = "Read *this*.", tags });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
    }
}
