using System.Diagnostics;
using Dapper;
using Feeds.Server.Hosting;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Cluster;

/// <summary>
/// A node that loses its listening connection opens it again, and then catches up on what the other nodes rendered
/// while it could not hear them: in memory and in its static directory.
/// </summary>
public sealed class FeedChangeListenerTests
{
    [Fact]
    public async Task A_node_cut_off_from_the_database_listens_again_and_serves_the_feeds_rendered_meanwhile()
    {
        var staticOfB = Path.Combine(TempDirectory.Create(), "static");
        await using var nodes = await TwoNodes.StartAsync(
            settingsOfB: new Dictionary<string, string?> { ["Feeds:Publishing:StaticDirectory"] = staticOfB }, roleOfItsOwnForB: true);
        using var author = nodes.A.CreateAuthorizedClient();
        using var readerOfB = nodes.B.CreateClient();
        await nodes.B.Services.GetRequiredService<ClusterNotifications>().Listening.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await author.CreateAsync(Infrastructure.Posts.Valid("Heard at once", "heard"));
        // B has taken the render in: its firehose in memory, the tag's documents in its directory.
        Assert.True(await WaitUntilAsync(async () => (await readerOfB.GetStringAsync("/everything.json")).Contains("Heard at once", StringComparison.Ordinal)
            && FileHolds(staticOfB, "tags/heard.atom", "Heard at once")), "B never took in the first render");

        // B can no longer connect, and loses every connection it had, its listener's with them.
        await using var database = await nodes.OpenAsync();
        await database.ExecuteAsync($"alter role {nodes.RoleOfB} nologin");
        try
        {
            // One connection per node listens, for every channel.
            Assert.Equal(1, await database.ExecuteScalarAsync<long>(
                "select count(*) from pg_stat_activity where usename = @Role and query like 'listen %'", new { Role = nodes.RoleOfB }));
            await database.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where usename = @Role", new { Role = nodes.RoleOfB });

            await author.CreateAsync(Infrastructure.Posts.Valid("Rendered while B was away", "heard"));
            using var readerOfA = nodes.A.CreateClient();
            Assert.True(await WaitUntilAsync(async () => (await readerOfA.GetStringAsync("/everything.json")).Contains("Rendered while B was away", StringComparison.Ordinal)),
                "A never rendered the second post");
            // The firehose is always in memory: B serves what it held, not having heard of the render.
            Assert.DoesNotContain("Rendered while B was away", await readerOfB.GetStringAsync("/everything.json"), StringComparison.Ordinal);
        }
        finally
        {
            await database.ExecuteAsync($"alter role {nodes.RoleOfB} login");
        }

        Assert.True(await WaitUntilAsync(async () => (await readerOfB.GetStringAsync("/everything.json")).Contains("Rendered while B was away", StringComparison.Ordinal)
            && FileHolds(staticOfB, "tags/heard.atom", "Rendered while B was away")
            && FileHolds(staticOfB, "everything.rss", "Rendered while B was away")),
            "B did not catch up on the render it missed");
        Assert.Contains("Rendered while B was away", await readerOfB.GetStringAsync("/tags/heard.atom"), StringComparison.Ordinal);
    }

    private static bool FileHolds(string directory, string path, string text)
    {
        var file = Path.Combine(directory, path);
        return File.Exists(file) && File.ReadAllText(file).Contains(text, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
