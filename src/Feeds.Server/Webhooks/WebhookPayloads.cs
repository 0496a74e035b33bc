using System.Text;
using System.Text.Json;
using Feeds.Core.Posts;
using Feeds.Data.Webhooks;
using Feeds.Server.Hosting;

namespace Feeds.Server.Webhooks;

/// <summary>
/// The JSON bodies of deliveries: <c>{"type", "timestamp", "data": {…}}</c>. Written once, stored in the message row,
/// and sent and signed byte for byte as stored, so retries and replays carry exactly what was first sent.
/// Bodies carry no commentary, so they stay far below the 20 kB a subscriber may expect.
/// </summary>
public static class WebhookPayloads
{
    public static string ForPost(string type, Post post, DateTimeOffset timestamp, FeedsOptions site)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("timestamp", timestamp.UtcDateTime);
            json.WriteStartObject("data");
            json.WriteString("id", post.Id);
            json.WriteString("url", post.Url);
            json.WriteString("title", post.Title);
            json.WriteString("permalink", site.Absolute(post.PermalinkPath));
            json.WriteStartArray("tags");
            foreach (var tag in post.Tags)
            {
                json.WriteStringValue(tag.Name);
            }

            json.WriteEndArray();
            if (post.PublishedAt is { } publishedAt)
            {
                json.WriteString("publishedAt", publishedAt.UtcDateTime);
            }
            else
            {
                json.WriteNull("publishedAt");
            }

            json.WriteString("updatedAt", post.UpdatedAt.UtcDateTime);
            json.WriteStartObject("feeds");
            json.WriteString("everything", site.Absolute("/everything.atom"));
            json.WriteStartArray("tags");
            foreach (var tag in post.Tags)
            {
                json.WriteStringValue(site.Absolute($"/tags/{tag.Slug}.atom"));
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string ForPing(Guid endpointId, DateTimeOffset timestamp)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", WebhookEventTypes.Ping);
            json.WriteString("timestamp", timestamp.UtcDateTime);
            json.WriteStartObject("data");
            json.WriteString("endpointId", endpointId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
