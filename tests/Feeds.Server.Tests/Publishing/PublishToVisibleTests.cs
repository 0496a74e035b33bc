using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Publishing;

/// <summary>
/// A subscriber sees a post soon after its publication: measured from the API's answer to a new ETag holding it. The
/// target (p99 under a second over 100 publishes) is the benchmark's (<see cref="LatencyRun"/>).
/// </summary>
public sealed class PublishToVisibleTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Target = LatencyRun.Bound(TimeSpan.FromSeconds(1));
    private readonly FeedsServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Firehose_and_tag_feeds_serve_a_new_etag_with_each_new_post()
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        string[] tags = ["python", "rust", "web"];
        var etags = new Dictionary<string, string?>(StringComparer.Ordinal);
        var waits = new List<TimeSpan>(LatencyRun.Publishes * 2);

        for (var i = 0; i < LatencyRun.Publishes; i++)
        {
            var feeds = new[] { "/everything.atom", $"/tags/{tags[i % tags.Length]}.atom" };
            var response = await author.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid($"Visible {i}", tags[i % tags.Length]));
            var answered = Stopwatch.GetTimestamp();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            foreach (var feed in feeds)
            {
                var etag = await WaitForNewEtagWithAsync(reader, feed, etags.GetValueOrDefault(feed), id, answered);
                waits.Add(Stopwatch.GetElapsedTime(answered));
                etags[feed] = etag;
            }
        }

        waits.Sort();
        var p99 = waits[(int)Math.Ceiling(0.99 * waits.Count) - 1];
        var figures = $"p99 {p99.TotalMilliseconds:F0} ms over {waits.Count} feed updates (p50 {waits[waits.Count / 2].TotalMilliseconds:F0} ms, max {waits[^1].TotalMilliseconds:F0} ms)";
        output.WriteLine(figures);
        Assert.True(p99 < Target, figures);
    }

    /// <summary>Polls <paramref name="feed"/> until it answers an ETag other than <paramref name="previous"/> with a body holding the post.</summary>
    private static async Task<string> WaitForNewEtagWithAsync(HttpClient reader, string feed, string? previous, string postId, long since)
    {
        while (Stopwatch.GetElapsedTime(since) < TimeSpan.FromSeconds(10))
        {
            using var response = await reader.GetAsync(feed);
            var etag = response.Headers.ETag?.Tag;
            if (etag is not null && etag != previous && (await response.Content.ReadAsStringAsync()).Contains(postId, StringComparison.Ordinal))
            {
                return etag;
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"{feed} did not show post {postId} under a new ETag within 10 s");
    }
}
