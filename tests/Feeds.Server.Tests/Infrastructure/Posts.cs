using System.Net.Http.Json;
using System.Text.Json;

namespace Feeds.Server.Tests.Infrastructure;

public static class Posts
{
    public static object Valid(string title = "A fine read", params string[] tags) => new
    {
        url = $"https://example.com/{Guid.NewGuid():N}",
        title,
        commentary = "Worth *reading*.",
        tags,
    };

    public static async Task<JsonElement> CreateAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/posts", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<int> CountAsync(this HttpClient authorized, string query = "status=any")
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await authorized.GetFromJsonAsync<JsonElement>($"/api/posts?{query}&limit=200" + (cursor is null ? "" : $"&cursor={cursor}"));
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return count;
    }

    /// <summary>A post's JSON without the earlier posts of its link, which only a create answer lists: for comparing answers.</summary>
    public static string WithoutEarlierPosts(this JsonElement created)
    {
        var post = System.Text.Json.Nodes.JsonNode.Parse(created.GetRawText())!.AsObject();
        post.Remove("earlierPosts");
        return post.ToJsonString();
    }
}
