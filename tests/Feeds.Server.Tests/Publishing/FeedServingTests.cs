using System.Net;
using System.Net.Http.Json;
using Feeds.Server.Publishing;
using Dapper;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Publishing;

public sealed class FeedServingTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);
    private readonly FeedsServer _server = new();
    private readonly HttpClient _author;
    private readonly HttpClient _reader;

    public FeedServingTests()
    {
        _author = _server.CreateAuthorizedClient();
        _reader = _server.CreateClient();
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task The_firehose_shows_published_posts_and_never_drafts_scheduled_or_deleted_ones()
    {
        await _author.PublishAsync("Visible one", "a");
        await _author.CreateAsync(new { url = "https://example.com/d", title = "Draft one", status = "draft" });
        await _author.CreateAsync(new { url = "https://example.com/s", title = "Scheduled one", publishAt = _server.Now.AddDays(1) });
        var deleted = await _author.PublishAsync("Deleted one");
        await _author.DeleteAsync($"/api/posts/{deleted}");
        await _author.PublishAsync("Visible two");

        await _reader.WaitForTitleAsync("/everything.atom", "Visible two", Soon);
        var feed = await _reader.GetAtomAsync("/everything.atom");

        Assert.Equal(["Visible two", "Visible one"], feed.EntryTitles());
    }

    [Fact]
    public async Task A_failure_inside_a_feed_endpoint_is_answered_with_a_problem_not_a_bare_500()
    {
        // A real failure: the table every tag feed is resolved through is gone from the database under the service.
        await using (var connection = await TestDatabase.OpenAsync(_server.DataDirectory))
        {
            await connection.ExecuteAsync("alter table tags rename to tags_gone");
        }

        await (await _reader.GetAsync("/tags/python.atom")).AssertProblemAsync(500);
    }

    [Fact]
    public async Task An_unknown_tag_is_404_and_a_combination_no_post_carries_is_a_valid_empty_feed()
    {
        await (await _reader.GetAsync("/tags/no-such-tag.atom")).AssertProblemAsync(404);

        await _author.PublishAsync("Calm", "calm");
        await _author.PublishAsync("Quiet", "quiet");
        var feed = await _reader.GetAtomAsync("/tags/calm+quiet.atom");
        Assert.Empty(feed.EntryIds());
        Assert.NotNull(feed.Link("self"));
    }

    [Fact]
    public async Task A_tag_feed_holds_only_its_posts_and_a_combination_only_posts_with_every_tag()
    {
        await _author.PublishAsync("Python only", "Python");
        await _author.PublishAsync("Python and AI", "Python", "AI");
        await _author.PublishAsync("AI only", "AI");
        // Each feed shows a change once its own render lands; the feeds of one change are not swapped in as one.
        await _reader.WaitForTitleAsync("/tags/ai.atom", "AI only", Soon);
        await _reader.WaitForTitleAsync("/tags/python.atom", "Python and AI", Soon);

        Assert.Equal(["Python and AI", "Python only"], (await _reader.GetAtomAsync("/tags/python.atom")).EntryTitles());
        Assert.Equal(["Python and AI"], (await _reader.GetAtomAsync("/tags/ai+python.atom")).EntryTitles());

        await _author.PublishAsync("Both again", "AI", "Python");
        await _reader.WaitForTitleAsync("/tags/ai+python.atom", "Both again", Soon);
    }

    [Fact]
    public async Task A_combination_in_another_order_redirects_to_the_canonical_one()
    {
        await _author.PublishAsync("x", "b", "a");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        var response = await client.GetAsync("/tags/b+a.json");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/tags/a+b.json", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_renamed_tag_feed_answers_301_to_the_new_one()
    {
        await _author.PublishAsync("ml post", "ML");
        var rename = await _author.PostAsJsonAsync("/api/tags/ml/rename", new { to = "Machine Learning" });
        Assert.True(rename.IsSuccessStatusCode, await rename.Content.ReadAsStringAsync());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };

        var response = await client.GetAsync("/tags/ml.rss");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/tags/machine-learning.rss", response.Headers.Location!.ToString());
        await _reader.WaitForTitleAsync("/tags/machine-learning.atom", "ml post", Soon);
    }

    [Fact]
    public async Task Entry_ids_never_change_when_a_post_is_edited()
    {
        var id = await _author.PublishAsync("Original title");
        await _reader.WaitForTitleAsync("/everything.atom", "Original title", Soon);
        var before = (await _reader.GetAtomAsync("/everything.atom")).EntryIds().Single();

        await _author.PutAsJsonAsync($"/api/posts/{id}", new { url = "https://example.org/moved", title = "Edited title" });
        await _reader.WaitForTitleAsync("/everything.atom", "Edited title", Soon);

        Assert.Equal(before, (await _reader.GetAtomAsync("/everything.atom")).EntryIds().Single());
    }

    [Fact]
    public async Task Older_entries_are_reached_by_following_next_links_and_archives_chain_back()
    {
        using var server = new FeedsServer(settings: new Dictionary<string, string?> { ["Feeds:Publishing:EntriesPerFeed"] = "3" });
        var author = server.CreateAuthorizedClient();
        var reader = server.CreateClient();
        for (var i = 0; i < 7; i++)
        {
            await author.CreateAsync(new { url = $"https://example.com/{i}", title = $"Post {i}", publishAt = new DateTimeOffset(2026, 9 + (i / 3), 10 + i, 0, 0, 0, TimeSpan.Zero) });
        }

        await reader.WaitForTitleAsync("/everything.atom", "Post 6", Soon);

        var titles = new List<string>();
        string? next = "/everything.atom";
        while (next is not null)
        {
            var page = await reader.GetAtomAsync(next);
            titles.AddRange(page.EntryTitles());
            next = page.Link("next");
        }

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"Post {i}"), titles);

        var archived = new List<string>();
        string? archive = (await reader.GetAtomAsync("/everything.atom")).Link("prev-archive");
        while (archive is not null)
        {
            var document = await reader.GetAtomAsync(archive);
            Assert.NotNull(document.Root!.Element((System.Xml.Linq.XNamespace)"http://purl.org/syndication/history/1.0" + "archive"));
            Assert.NotNull(document.Link("current"));
            archived.AddRange(document.EntryTitles());
            archive = document.Link("prev-archive");
        }

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"Post {i}"), archived);
    }

    [Fact]
    public async Task A_restarted_server_serves_the_stored_feeds_without_rendering_them_again()
    {
        var dataDirectory = TempDirectory.Create();
        string etag;
        int port;
        using (var first = new FeedsServer(dataDirectory))
        {
            port = first.Address.Port;
            await first.CreateAuthorizedClient().PublishAsync("Persisted", "kept");
            // The new tag's first reader may render it before regeneration gets to the firehose: wait for both.
            await first.CreateClient().WaitForTitleAsync("/tags/kept.atom", "Persisted", Soon);
            await first.CreateClient().WaitForTitleAsync("/everything.atom", "Persisted", Soon);
            etag = (await first.CreateClient().GetAsync("/everything.atom")).Headers.ETag!.Tag;
        }

        using var restarted = new FeedsServer(dataDirectory, port: port);
        var publisher = restarted.Services.GetRequiredService<FeedPublisher>();
        Assert.Empty(await publisher.RegenerateDirtyAsync(CancellationToken.None));
        Assert.Equal(etag, (await restarted.CreateClient().GetAsync("/everything.atom")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Changing_how_the_site_presents_itself_renders_every_feed_again()
    {
        var dataDirectory = TempDirectory.Create();
        int port;
        using (var first = new FeedsServer(dataDirectory))
        {
            port = first.Address.Port;
            await first.CreateAuthorizedClient().PublishAsync("Retitled", "t");
            await first.CreateClient().WaitForTitleAsync("/tags/t.atom", "Retitled", Soon);
        }

        // Every stored document is rendered again, at rendering's pace: how soon is not what this asks.
        using var renamed = new FeedsServer(dataDirectory, new Dictionary<string, string?> { ["Feeds:Publishing:Title"] = "New site name" }, port);
        await renamed.CreateClient().WaitForTitleAsync("/tags/t.atom", "New site name", TimeSpan.FromSeconds(30));
        await renamed.CreateClient().WaitForTitleAsync("/everything.atom", "New site name", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_change_marks_only_the_feeds_it_belongs_to()
    {
        await _author.PublishAsync("seed", "a", "b", "c");
        await _reader.GetAsync("/tags/a+b.atom");
        await _reader.GetAsync("/tags/c+d.atom");
        await _author.PublishAsync("seed d", "d");
        await _reader.GetAsync("/tags/c+d.atom");
        var regeneration = _server.Services.GetRequiredService<FeedRegeneration>();
        var post = await _server.Services.GetRequiredService<Feeds.Data.Posts.PostQueries>()
            .GetAsync(Guid.Parse(await _author.PublishAsync("change", "a", "b")), CancellationToken.None);

        var affected = regeneration.AffectedFeeds([new Feeds.Data.Posts.PostChange(null, post)]);

        Assert.Equal(["everything", "tag:a", "tag:a+b", "tag:b"], affected.Order(StringComparer.Ordinal));
    }
}
