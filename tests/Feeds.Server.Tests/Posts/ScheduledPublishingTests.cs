using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Posts;

public sealed class ScheduledPublishingTests
{
    [Fact]
    public async Task A_post_with_a_future_publish_time_goes_live_at_that_time()
    {
        using var server = new FeedsServer();
        var author = server.CreateAuthorizedClient();
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        var post = await author.CreateAsync(new { url = "https://example.com/later", title = "Later", publishAt = at });
        var id = post.GetProperty("id").GetString();
        Assert.Equal("scheduled", post.GetProperty("status").GetString());
        await (await server.CreateClient().GetAsync($"/api/posts/{id}")).AssertProblemAsync(401);

        var published = await PollAsync(author, id!, TimeSpan.FromSeconds(10));

        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.True(published.GetProperty("publishedAt").GetDateTimeOffset() >= at.AddMilliseconds(-1));
    }

    [Fact]
    public async Task A_schedule_survives_a_restart()
    {
        var dataDirectory = TempDirectory.Create();
        string id;
        using (var server = new FeedsServer(dataDirectory))
        {
            var post = await server.CreateAuthorizedClient().CreateAsync(new { url = "https://example.com/s", title = "S", publishAt = DateTimeOffset.UtcNow.AddSeconds(3) });
            id = post.GetProperty("id").GetString()!;
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        using var restarted = new FeedsServer(dataDirectory);
        var published = await PollAsync(restarted.CreateAuthorizedClient(), id, TimeSpan.FromSeconds(10));
        Assert.Equal("published", published.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Moving_a_scheduled_post_back_to_draft_cancels_its_publication()
    {
        using var server = new FeedsServer();
        var author = server.CreateAuthorizedClient();
        var post = await author.CreateAsync(new { url = "https://example.com/c", title = "C", publishAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        var id = post.GetProperty("id").GetString();
        await author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.com/c", title = "C", status = "draft" });

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var after = await author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
        Assert.Equal("draft", after.GetProperty("status").GetString());
    }

    private static async Task<JsonElement> PollAsync(HttpClient author, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var post = await author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
            if (post.GetProperty("status").GetString() == "published" || DateTime.UtcNow > deadline)
            {
                return post;
            }

            await Task.Delay(100);
        }
    }
}
