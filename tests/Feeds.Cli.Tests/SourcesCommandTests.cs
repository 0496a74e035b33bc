using System.Net;
using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Cli.Tests;

/// <summary><c>feeds sources</c> against a live server following its own feeds.</summary>
public sealed class SourcesCommandTests(SourcesCommandTests.Server fixture) : IClassFixture<SourcesCommandTests.Server>
{
    private readonly Infrastructure.Cli _cli = new(fixture.Server);

    public sealed class Server : ServerFixture
    {
        // The sources are this server's own feeds, on loopback, so the poller must be allowed to reach private addresses.
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Feeds:Sources:AllowPrivateNetworks"] = "true",
        };
    }

    [Fact]
    public async Task Sources_are_added_listed_and_removed()
    {
        var url = FeedUrl("everything.atom");

        var added = await _cli.JsonAsync("sources", "add", url, "--tag", "Upstream", "--title", "Our own feed", "--interval", "120");
        var id = added.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var twice = await _cli.RunAsync("sources", "add", url);
        var listed = await _cli.JsonAsync("sources", "ls");
        var table = await _cli.OkAsync("sources", "ls");
        await _cli.OkAsync("sources", "rm", id);
        var afterwards = await _cli.JsonAsync("sources", "ls");
        var again = await _cli.RunAsync("sources", "rm", id);

        Assert.Equal(ExitCodes.Usage, twice.ExitCode);
        Assert.Equal("draft", added.GetProperty("mode").GetString());
        Assert.Equal(120, added.GetProperty("intervalMinutes").GetInt32());
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) == id);
        Assert.Contains("Our own feed", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(afterwards.EnumerateArray(), s => s.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) == id);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
    }

    [Fact]
    public async Task Publish_mode_is_sent_as_publish()
    {
        var added = await _cli.JsonAsync("sources", "add", FeedUrl("everything.rss"), "--publish");
        Assert.Equal("publish", added.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Refresh_reports_how_the_poll_went_and_its_exit_code_follows_the_status()
    {
        await _cli.OkAsync("post", "https://example.com/for-the-source", "-t", "Something to find");
        var id = (await _cli.JsonAsync("sources", "add", FeedUrl("everything.json"))).GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await _cli.RunAsync("sources", "refresh", id, "--json");

        var status = result.Json.GetProperty("status").GetString();
        Assert.Contains(status, (string[])["ok", "not-modified", "error", "gone"]);
        Assert.Equal(status is "ok" or "not-modified" ? ExitCodes.Ok : ExitCodes.Server, result.ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await _cli.RunAsync("sources", "refresh", "999999")).ExitCode);
    }

    [Fact]
    public async Task Opml_goes_in_and_comes_out()
    {
        var opml = Path.Combine(_cli.Home, "subscriptions.opml");
        await File.WriteAllTextAsync(opml, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head><title>Subscriptions</title></head>
              <body>
                <outline text="Tech">
                  <outline type="rss" text="One" xmlUrl="{FeedUrl("tags/opml-one.atom")}"/>
                  <outline type="rss" text="Two" xmlUrl="{FeedUrl("tags/opml-two.atom")}"/>
                </outline>
              </body>
            </opml>
            """);
        await _cli.OkAsync("post", "https://example.com/opml", "-t", "For the OPML feeds", "--tag", "opml-one", "--tag", "opml-two");

        var imported = await _cli.JsonAsync("sources", "import-opml", opml);
        var exported = await _cli.OkAsync("sources", "export-opml");
        var file = Path.Combine(_cli.Home, "out.opml");
        await _cli.OkAsync("sources", "export-opml", "-o", file);

        // Polling may retitle the new sources between the two exports, so each is checked on its own.
        Assert.Equal(2, imported.GetProperty("created").GetInt32() + imported.GetProperty("skipped").GetInt32());
        foreach (var opmlText in (string[])[exported.Out, await File.ReadAllTextAsync(file)])
        {
            Assert.Contains("<opml", opmlText, StringComparison.Ordinal);
            Assert.Contains(FeedUrl("tags/opml-one.atom"), WebUtility.HtmlDecode(opmlText), StringComparison.Ordinal);
            Assert.Contains(FeedUrl("tags/opml-two.atom"), WebUtility.HtmlDecode(opmlText), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_opml_names_every_outline_it_left_out_and_why()
    {
        // A URL of its own for a feed that exists from the start, so no other test follows it and nothing waits on rendering.
        var known = FeedUrl("everything.atom?opml=known");
        var id = (await _cli.JsonAsync("sources", "add", known)).GetProperty("id").GetInt64();
        var opml = Path.Combine(_cli.Home, "mixed.opml");
        await File.WriteAllTextAsync(opml, $"""
            <opml version="2.0"><body>
              <outline text="New" xmlUrl="{FeedUrl("tags/opml-new.atom")}"/>
              <outline text="Known" xmlUrl="{known}"/>
              <outline text="Files" xmlUrl="ftp://files.example/feed.xml"/>
            </body></opml>
            """);

        var result = await _cli.OkAsync("sources", "import-opml", opml);

        Assert.Equal(
            [
                "Added 1 source(s) of 3 feed outline(s), skipped 2",
                $"  outline 2, {known}: Already followed by source {id}.",
                "  outline 3, ftp://files.example/feed.xml: The URL must start with http:// or https://, not ftp:.",
            ],
            result.Out.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task The_list_says_whether_each_source_is_pushed_why_not_and_the_warnings_of_its_last_read()
    {
        await using var site = await EmptyFeedSite.StartAsync();
        // The site's own feed advertises its hub, but this server's BaseUrl is loopback: no hub could call it back.
        var advertising = (await _cli.JsonAsync("sources", "add", FeedUrl("everything.atom?cli=push"))).GetProperty("id").GetInt64();
        var empty = (await _cli.JsonAsync("sources", "add", site.Url("empty.rss"))).GetProperty("id").GetInt64();

        CliResult table = null!;
        Assert.True(await Feeds.Server.Tests.WebSub.TestSubscriber.WaitUntilAsync(async () =>
            (table = await _cli.OkAsync("sources", "ls")).Out.Contains($"{advertising}: polled: BaseUrl names 127.0.0.1", StringComparison.Ordinal)),
            "the list never said why the source is polled");

        Assert.Contains("UPDATES", table.Out, StringComparison.Ordinal);
        Assert.Contains($"{empty}: warning: The document has no channel and no items", table.Out, StringComparison.Ordinal);
    }

    /// <summary>A site serving an RSS document without a channel, which the parser reads as an empty feed with a warning.</summary>
    private sealed class EmptyFeedSite : LoopbackSite
    {
        public static async Task<EmptyFeedSite> StartAsync()
        {
            var site = new EmptyFeedSite();
            await site.ListenAsync();
            return site;
        }

        protected override Task HandleAsync(Microsoft.AspNetCore.Http.HttpContext context)
        {
            context.Response.ContentType = "application/rss+xml";
            return context.Response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>", context.RequestAborted);
        }
    }

    private string FeedUrl(string path) => new Uri(_cli.Server.Address, path).ToString();
}
