using System.Net;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Server.Tests.Publishing;

/// <summary>Documents take their times from the service's clock (<see cref="TimeProvider"/>), never the machine's.</summary>
public sealed class FeedClockTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 0, 0, 30, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now.AddMinutes(-1));
    private readonly FeedsServer _server;

    public FeedClockTests() =>
        _server = new(settings: new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "1" }, clock: _clock);

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("prev-archive")]
    [InlineData("next")]
    public async Task A_document_rendered_for_one_request_is_last_modified_at_the_service_clock_time(string rel)
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        await author.CreateAsync(new { url = "https://example.com/1", title = "First", publishAt = Now.AddDays(-2) });
        _clock.Advance(TimeSpan.FromMinutes(1));
        await author.CreateAsync(new { url = "https://example.com/2", title = "Second", publishAt = Now.AddDays(-1) });
        await reader.WaitForTitleAsync("/everything.atom", "Second", TimeSpan.FromSeconds(5));
        var url = (await reader.GetAtomAsync("/everything.atom")).Link(rel)!;

        var response = await reader.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Now, response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task At_the_turn_of_the_month_the_month_just_over_becomes_the_newest_archive()
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        await author.CreateAsync(new { url = "https://example.com/february", title = "February", publishAt = Now.AddDays(-10) });
        await reader.WaitForTitleAsync("/everything.atom", "February", TimeSpan.FromSeconds(5));
        Assert.Null((await reader.GetAtomAsync("/everything.atom")).Link("prev-archive"));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/everything/archive/2025/02.atom", TestContext.Current.CancellationToken)).StatusCode);

        // Quartz keeps the service's clock: its monthly trigger fires once that clock passes midnight on the 1st.
        _clock.Advance(TimeSpan.FromMinutes(1));

        await reader.WaitForTitleAsync("/everything.atom", "/everything/archive/2025/02.atom", TimeSpan.FromSeconds(10));
        Assert.Equal(["February"], (await reader.GetAtomAsync("/everything/archive/2025/02.atom")).EntryTitles());
    }
}
