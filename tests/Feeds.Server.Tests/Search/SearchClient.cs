using System.Net.Http.Json;
using System.Text.Json;

namespace Feeds.Server.Tests.Search;

/// <summary>Searches through <c>GET /api/posts?q=</c>, every page.</summary>
internal static class SearchClient
{
    public static async Task<List<JsonElement>> SearchAsync(this HttpClient client, string q, int limit = 200)
    {
        var found = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"/api/posts?q={Uri.EscapeDataString(q)}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"search for {q} answered {(int)response.StatusCode}: {text}");
            var page = JsonDocument.Parse(text).RootElement.Clone();
            found.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return found;
    }

    public static async Task<List<string>> TitlesAsync(this HttpClient client, string q) =>
        [.. (await client.SearchAsync(q)).Select(p => p.GetProperty("title").GetString()!)];

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, params object[] items) =>
        client.PostAsJsonAsync("/api/posts/batch", new { items });
}
