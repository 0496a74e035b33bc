using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// Scheduled posts go live when the service's clock reaches their time: the clock is the test's, so a slow machine
/// (a create that takes seconds) cannot make a time in the future one in the past.
/// </summary>
public sealed class ScheduledPublishingTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_post_with_a_future_publish_time_goes_live_at_that_time()
    {
        var clock = new FakeTimeProvider(Now);
        using var server = new FeedsServer(clock: clock);
        var author = server.CreateAuthorizedClient();
        var at = Now.AddMinutes(5);
        var post = await author.CreateAsync(new { url = "https://example.com/later", title = "Later", publishAt = at });
        var id = post.GetProperty("id").GetString()!;
        Assert.Equal("scheduled", post.GetProperty("status").GetString());
        await (await server.CreateClient().GetAsync($"/api/posts/{id}")).AssertProblemAsync(401);

        clock.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("scheduled", (await author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}")).GetProperty("status").GetString());

        clock.Advance(TimeSpan.FromMinutes(1));
        var published = await PollAsync(author, id, TimeSpan.FromSeconds(30));

        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal(at, published.GetProperty("publishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_schedule_survives_a_restart()
    {
        var dataDirectory = TempDirectory.Create();
        var clock = new FakeTimeProvider(Now);
        string id;
        using (var server = new FeedsServer(dataDirectory, clock: clock))
        {
            var post = await server.CreateAuthorizedClient().CreateAsync(new { url = "https://example.com/s", title = "S", publishAt = Now.AddMinutes(5) });
            id = post.GetProperty("id").GetString()!;
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        using var restarted = new FeedsServer(dataDirectory, clock: clock);
        var published = await PollAsync(restarted.CreateAuthorizedClient(), id, TimeSpan.FromSeconds(30));
        Assert.Equal("published", published.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Moving_a_scheduled_post_back_to_draft_cancels_its_publication()
    {
        var clock = new FakeTimeProvider(Now);
        using var server = new FeedsServer(clock: clock);
        var author = server.CreateAuthorizedClient();
        var post = await author.CreateAsync(new { url = "https://example.com/c", title = "C", publishAt = Now.AddMinutes(1) });
        var id = post.GetProperty("id").GetString();
        (await author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.com/c", title = "C", status = "draft" })).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
        Assert.Equal("draft", after.GetProperty("status").GetString());
    }

    /// <summary>Reads the post until it is published or <paramref name="timeout"/> of the machine's time has passed.</summary>
    private static async Task<JsonElement> PollAsync(HttpClient author, string id, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var post = await author.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
            if (post.GetProperty("status").GetString() == "published" || waited.Elapsed > timeout)
            {
                return post;
            }

            await Task.Delay(100);
        }
    }
}
