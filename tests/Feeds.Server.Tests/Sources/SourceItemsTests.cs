using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Webhooks;

namespace Feeds.Server.Tests.Sources;

/// <summary>Webhooks to loopback allowed too, so the posts sources make can be seen leaving through the normal path.</summary>
public sealed class ItemsFixture : SourcesFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Feeds:Webhooks:AllowPrivateNetworks"] = "true";
}

/// <summary>How upstream items become posts: once each, as drafts or quoted and published, new ones only.</summary>
public sealed class SourceItemsTests(ItemsFixture fixture) : IClassFixture<ItemsFixture>
{
    private readonly HttpClient _author = fixture.Author;
    private readonly Upstream _upstream = fixture.Upstream;

    [Fact]
    public async Task Re_polls_never_make_a_second_post_for_an_item()
    {
        var items = TestFeeds.Recent("dedupe", 3, fixture.Server.Now);
        _upstream.Feed("dedupe", TestFeeds.Rss("dedupe", "https://dedupe.example/", items));
        var source = await _author.FollowAsync(new { url = _upstream.Url("dedupe"), backfill = true });
        Assert.Equal(3, (await _author.PostsOfAsync(source.Id())).Count);

        // Reordered, one item repeated, one new: only the new one is posted.
        var added = new TestItem("dedupe-new", "dedupe new item", "https://example.com/dedupe/new", fixture.Server.Now);
        _upstream.Feed("dedupe", TestFeeds.Rss("dedupe", "https://dedupe.example/", [items[2], added, items[0], items[1], items[0]]));
        var first = await _author.RefreshAsync(source.Id());
        _upstream.Feed("dedupe", TestFeeds.Rss("dedupe", "https://dedupe.example/", [added, .. items], extra: "<lastBuildDate>now</lastBuildDate>"));
        var second = await _author.RefreshAsync(source.Id());

        Assert.Equal(("ok", 1), (first.GetProperty("status").GetString(), first.GetProperty("newPosts").GetInt32()));
        Assert.Equal(("ok", 0), (second.GetProperty("status").GetString(), second.GetProperty("newPosts").GetInt32()));
        var posts = await _author.PostsOfAsync(source.Id());
        Assert.Equal(4, posts.Count);
        Assert.Equal(4, posts.Select(p => p.GetProperty("url").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task An_edited_item_updates_its_post_while_it_is_a_draft_and_keeps_the_authors_work()
    {
        var items = TestFeeds.Recent("edited", 2, fixture.Server.Now);
        _upstream.Feed("edited", TestFeeds.Rss("edited", "https://edited.example/", items));
        var source = await _author.FollowAsync(new { url = _upstream.Url("edited"), backfill = true, mode = "draft" });
        var drafts = await _author.PostsOfAsync(source.Id());
        var published = drafts.Single(p => p.GetProperty("title").GetString() == "edited item 1");
        var draft = drafts.Single(p => p.GetProperty("title").GetString() == "edited item 2");
        Assert.All(drafts, p => Assert.Equal("draft", p.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _author.PatchAsync($"/api/posts/{published.GetProperty("id")}", JsonContent.Create(new { status = "published" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _author.PatchAsync($"/api/posts/{draft.GetProperty("id")}", JsonContent.Create(new { commentary = "My take." }))).StatusCode);

        _upstream.Feed("edited", TestFeeds.Rss("edited", "https://edited.example/", [.. items.Select(i => i with { Title = i.Title + " (corrected)" })]));
        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal(0, refresh.GetProperty("newPosts").GetInt32());
        Assert.Equal(1, refresh.GetProperty("updatedPosts").GetInt32());
        var after = (await _author.PostsOfAsync(source.Id())).ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal(2, after.Count);
        Assert.Equal("edited item 1", after[published.GetProperty("id").GetString()!].GetProperty("title").GetString());
        var updated = after[draft.GetProperty("id").GetString()!];
        Assert.Equal("edited item 2 (corrected)", updated.GetProperty("title").GetString());
        Assert.Equal("My take.", updated.GetProperty("commentary").GetString());
        Assert.Equal("draft", updated.GetProperty("status").GetString());

        Assert.Equal(0, (await _author.RefreshAsync(source.Id())).GetProperty("updatedPosts").GetInt32());
    }

    [Fact]
    public async Task Publish_mode_quotes_the_summary_sanitised_with_absolute_urls_and_publishes_through_the_normal_path()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await _author.SubscribeAsync(receiver.Url("hook"), events: ["post.published"]);
        var summary = """
            <p onclick="steal()">Hello <a href="/articles/one" onmouseover="x()">relative link</a> and <b>bold</b>.</p>
            <script>alert('x')</script><style>p { color: red }</style>
            <img src="https://tracker.example/pixel.gif" width="1" height="1">
            <img src="/images/chart.png" alt="chart" width="400">
            <a href="javascript:alert(1)">bad link</a>
            """;
        var item = new TestItem("quoted-1", "Quoted item", "https://quoted.example/articles/one", fixture.Server.Now.AddMinutes(-5), summary);
        _upstream.Feed("quoted", TestFeeds.Rss("Quoted Blog", "https://quoted.example/", [item]));

        var source = await _author.FollowAsync(new { url = _upstream.Url("quoted"), mode = "publish", backfill = true, tags = new[] { "Reading" } });

        var post = Assert.Single(await _author.PostsOfAsync(source.Id()));
        Assert.Equal("published", post.GetProperty("status").GetString());
        Assert.Equal("https://quoted.example/articles/one", post.GetProperty("url").GetString());
        Assert.Equal("Quoted item", post.GetProperty("title").GetString());
        Assert.Equal(["Reading"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("https://quoted.example/", post.GetProperty("via").GetProperty("url").GetString());
        Assert.Equal("Quoted Blog", post.GetProperty("via").GetProperty("title").GetString());
        var html = post.GetProperty("commentaryHtml").GetString()!;
        Assert.StartsWith("<blockquote>", html);
        Assert.Contains("relative link", html);
        Assert.Contains("<b>bold</b>", html);
        foreach (var banned in (string[])["<script", "alert(", "onclick", "onmouseover", "<style", "color: red", "tracker.example", "javascript:", "href=\"/", "src=\"/"])
        {
            Assert.DoesNotContain(banned, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Matches("href=\"http://[^\"]+/articles/one\"|href=\"https://quoted.example/articles/one\"", html);
        Assert.Matches("src=\"https?://[^\"]+/images/chart.png\"", html);

        Assert.True(await receiver.WaitUntilAsync(r => r.Any(w => w.Json.GetProperty("data").GetProperty("title").GetString() == "Quoted item")));
        var feed = await Webhooks.Webhooks.EventuallyAsync(
            () => fixture.Server.CreateClient().GetStringAsync("/everything.atom"), atom => atom.Contains("Quoted item", StringComparison.Ordinal));
        Assert.Contains("Quoted item", feed);
    }

    [Fact]
    public async Task Without_backfill_only_items_newer_than_the_subscription_become_posts()
    {
        var old = TestFeeds.Recent("fresh", 3, fixture.Server.Now);
        var undatedOld = new TestItem("fresh-undated-old", "undated and old", "https://example.com/fresh/undated-old", null);
        _upstream.Feed("fresh", TestFeeds.Rss("fresh", "https://fresh.example/", [.. old, undatedOld]));
        var source = await _author.FollowAsync(new { url = _upstream.Url("fresh") });
        Assert.Empty(await _author.PostsOfAsync(source.Id()));

        var newer = new TestItem("fresh-new", "newer item", "https://example.com/fresh/new", fixture.Server.Now.AddMinutes(1));
        var undatedNew = new TestItem("fresh-undated-new", "undated and new", "https://example.com/fresh/undated-new", null);
        var backdated = new TestItem("fresh-backdated", "backdated item", "https://example.com/fresh/backdated", fixture.Server.Now.AddDays(-3));
        _upstream.Feed("fresh", TestFeeds.Rss("fresh", "https://fresh.example/", [newer, undatedNew, backdated, .. old, undatedOld]));
        var refresh = await _author.RefreshAsync(source.Id());

        Assert.Equal(2, refresh.GetProperty("newPosts").GetInt32());
        Assert.Equal(["newer item", "undated and new"], (await _author.PostsOfAsync(source.Id())).Select(p => p.GetProperty("title").GetString()).Order());
    }

    [Fact]
    public async Task An_invalid_item_is_skipped_and_counted_without_breaking_the_poll()
    {
        var items = new[]
        {
            new TestItem("invalid-1", "has no link", "", fixture.Server.Now.AddMinutes(-1)),
            new TestItem("invalid-2", "a fine item", "https://example.com/invalid/2", fixture.Server.Now.AddMinutes(-2)),
            new TestItem("invalid-3", "ftp link", "ftp://example.com/file", fixture.Server.Now.AddMinutes(-3)),
        };
        _upstream.Feed("invalid", TestFeeds.Rss("invalid", "https://invalid.example/", [items[1]]));
        var source = await _author.FollowAsync(new { url = _upstream.Url("invalid"), backfill = true });
        _upstream.Feed("invalid", TestFeeds.Rss("invalid", "https://invalid.example/", items));

        var result = await fixture.Server.Poller().PollNowAsync(source.Id(), TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.Equal(Server.Sources.PollStatus.Ok, result.Status);
        Assert.Equal(0, result.NewPosts);
        Assert.Equal(2, result.InvalidItems);
        Assert.Equal(0, result.Source!.Fetch.ErrorCount);
        Assert.Single(await _author.PostsOfAsync(source.Id()));
    }

    [Fact]
    public async Task Item_categories_are_not_tags_unless_the_setting_is_on()
    {
        _upstream.Feed("no-categories", TestFeeds.Rss("c", "https://c.example/",
            [new TestItem("c-1", "categorised", "https://example.com/c/1", fixture.Server.Now, null, "Python", "Rust")]));

        var source = await _author.FollowAsync(new { url = _upstream.Url("no-categories"), backfill = true, tags = new[] { "Mine" } });

        Assert.Equal(["Mine"], Assert.Single(await _author.PostsOfAsync(source.Id())).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task The_drafts_queue_lists_a_sources_drafts_newest_first()
    {
        var items = TestFeeds.Recent("queue", 3, fixture.Server.Now);
        _upstream.Feed("queue", TestFeeds.Rss("queue", "https://queue.example/", items));
        var source = await _author.FollowAsync(new { url = _upstream.Url("queue"), backfill = true });
        var other = await _author.FollowAsync(new { url = await ServeAsync("queue-other"), backfill = true });
        var latest = new TestItem("queue-latest", "queue latest item", "https://example.com/queue/latest", fixture.Server.Now);
        _upstream.Feed("queue", TestFeeds.Rss("queue", "https://queue.example/", [latest, .. items]));
        await _author.RefreshAsync(source.Id());
        var first = (await _author.PostsOfAsync(source.Id())).Last();
        await _author.PatchAsync($"/api/posts/{first.GetProperty("id")}", JsonContent.Create(new { status = "published" }));

        var queue = await _author.GetFromJsonAsync<JsonElement>($"/api/posts?status=draft&sourceId={source.Id()}");

        Assert.Equal(["queue latest item", "queue item 1", "queue item 2"],
            queue.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), p => p.GetProperty("title").GetString()!.StartsWith("queue-other", StringComparison.Ordinal));
        Assert.Single(await _author.PostsOfAsync(source.Id(), "published"));
        Assert.NotEmpty(await _author.PostsOfAsync(other.Id(), "draft"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Server.CreateClient().GetAsync($"/api/posts?status=draft&sourceId={source.Id()}")).StatusCode);
    }

    [Fact]
    public async Task Publishing_a_draft_puts_it_in_the_feeds()
    {
        var source = await _author.FollowAsync(new { url = await ServeAsync("to-publish"), backfill = true });
        var draft = (await _author.PostsOfAsync(source.Id(), "draft")).First();
        var title = draft.GetProperty("title").GetString()!;

        var response = await _author.PatchAsync($"/api/posts/{draft.GetProperty("id")}", JsonContent.Create(new { status = "published" }));

        Assert.Equal("published", (await response.ReadJsonAsync()).GetProperty("status").GetString());
        var feed = await Webhooks.Webhooks.EventuallyAsync(
            () => fixture.Server.CreateClient().GetStringAsync("/everything.atom"), atom => atom.Contains(title, StringComparison.Ordinal));
        Assert.Contains(title, feed);
    }

    private Task<string> ServeAsync(string name)
    {
        _upstream.Feed(name, TestFeeds.Rss(name, $"https://{name}.example/", TestFeeds.Recent(name, 2, fixture.Server.Now)));
        return Task.FromResult(_upstream.Url(name));
    }
}

/// <summary>Item categories mapped to tags.</summary>
public sealed class CategoriesFixture : SourcesFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Feeds:Sources:MapCategoriesToTags"] = "true";
}

public sealed class SourceCategoriesTests(CategoriesFixture fixture) : IClassFixture<CategoriesFixture>
{
    [Fact]
    public async Task Categories_become_tags_after_the_sources_own_within_the_tag_rules_and_limit()
    {
        string[] categories = ["Python", "python", "  ", "C#", "!!!", new string('x', 101), .. Enumerable.Range(1, 30).Select(n => $"topic {n}")];
        fixture.Upstream.Feed("categories", TestFeeds.Rss("c", "https://c.example/",
            [new TestItem("c-1", "categorised", "https://example.com/c/1", fixture.Server.Now, null, categories)]));

        var source = await fixture.Author.FollowAsync(new { url = fixture.Upstream.Url("categories"), backfill = true, tags = new[] { "Mine", "python" } });

        var tags = Assert.Single(await fixture.Author.PostsOfAsync(source.Id())).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(20, tags.Count);
        Assert.Equal(["Mine", "python", "C#", "topic 1"], tags.Take(4));
    }
}
