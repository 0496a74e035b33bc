using System.Net;
using Feeds.Server.Tests.Desk;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Pages;

namespace Feeds.Server.Tests.Hosting;

/// <summary>
/// The service as <c>dotnet run</c> starts it: in the Development environment, whose container checks every service's
/// lifetime (a scoped service taken from the root answers 500 there and nowhere else).
/// </summary>
public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task Every_kind_of_page_and_feed_answers_under_the_development_environments_checks()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["environment"] = "Development" });
        var reader = server.CreateClient();
        var author = server.CreateAuthorizedClient();
        var post = await author.CreateAsync(Infrastructure.Posts.Valid("Development", "python"));
        var permalink = new Uri(post.GetProperty("permalink").GetString()!).PathAndQuery;

        foreach (var path in new[] { "/", "/tags/python", permalink })
        {
            await reader.GetPageAsync(path);
        }

        foreach (var path in new[] { "/everything.atom", "/tags/python.rss", "/tags/python.json", "/api/posts", "/health" })
        {
            var response = await reader.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }

        using var desk = new DeskBrowser(server);
        await desk.SignInAsync();
        foreach (var path in new[] { "/desk", "/desk/new", "/desk/drafts" })
        {
            await desk.GetPageAsync(path);
        }

        Assert.DoesNotContain(server.Logs.Entries, e => e.Values.ContainsKey("{Exception}"));
    }
}
