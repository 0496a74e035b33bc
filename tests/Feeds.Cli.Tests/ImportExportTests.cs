using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Cli.Tests;

public sealed class ImportExportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Cli _cli = new(fixture.Server);

    [Fact]
    public async Task Pinboard_json_keeps_dates_tags_notes_and_privacy_and_skips_duplicates_and_non_web_links()
    {
        var result = await _cli.RunAsync("import", TestData.Path("pinboard.json"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = result.Json;
        Assert.Equal("Pinboard JSON", summary.GetProperty("format").GetString());
        Assert.Equal(4, summary.GetProperty("items").GetInt32());
        Assert.Equal(1, summary.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, summary.GetProperty("notLinks").GetInt32());
        Assert.Contains("javascript:alert", result.Error, StringComparison.Ordinal);

        var posts = await PostsAtAsync("pinboard.example");
        Assert.Equal(4, posts.Count);
        var wal = posts["https://pinboard.example/wal"];
        Assert.Equal("Write-Ahead Logging", wal.GetProperty("title").GetString());
        Assert.Equal("published", wal.GetProperty("status").GetString());
        Assert.Equal("2014-03-09T18:46:21Z", wal.GetProperty("publishedAt").GetString());
        Assert.Equal("2014-03-09T18:46:21Z", wal.GetProperty("createdAt").GetString());
        Assert.Equal("Readers never block writers.\nWriters never block readers.", wal.GetProperty("commentary").GetString());
        Assert.Equal(["wal", "journaling"], Tags(wal));
        Assert.Equal("draft", posts["https://pinboard.example/private"].GetProperty("status").GetString());
        Assert.Equal("2015-01-02T03:04:05Z", posts["https://pinboard.example/private"].GetProperty("createdAt").GetString());
        Assert.Equal("draft", posts["https://pinboard.example/later"].GetProperty("status").GetString());
        var commas = posts["https://pinboard.example/commas"];
        Assert.Equal("Café – “quotes” & <angles>", commas.GetProperty("title").GetString());
        Assert.Equal(["c,d", "e"], Tags(commas));
        Assert.Equal("2010-01-01T00:00:00Z", commas.GetProperty("publishedAt").GetString());
    }

    [Fact]
    public async Task A_browser_export_decodes_entities_collapses_white_space_and_leaves_out_place_links()
    {
        var result = await _cli.RunAsync("import", TestData.Path("netscape-browser.html"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(Netscape bookmarks): ", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 duplicate URLs skipped, 1 non-web links left out.", result.Out, StringComparison.Ordinal);
        var posts = await PostsAtAsync("browser.example");
        Assert.Equal(3, posts.Count);
        var fish = posts["https://browser.example/fish?a=1&b=2"];
        Assert.Equal("Fish & Chips <at> \"Home\" 'n' ☺", fish.GetProperty("title").GetString());
        Assert.Equal("2020-09-13T12:26:41Z", fish.GetProperty("publishedAt").GetString());
        Assert.Equal("2020-09-13T12:35:00Z", fish.GetProperty("updatedAt").GetString());
        Assert.Equal("Nested title with spaces", posts["https://browser.example/nested"].GetProperty("title").GetString());
        Assert.Equal("A description from the browser", posts["https://browser.example/nested"].GetProperty("commentary").GetString());
        Assert.Equal("https://browser.example/untitled", posts["https://browser.example/untitled"].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_pinboard_bookmark_file_reads_tags_descriptions_private_and_toread()
    {
        await _cli.OkAsync("import", TestData.Path("netscape-pinboard.html"));

        var posts = await PostsAtAsync("pinhtml.example");
        var one = posts["https://pinhtml.example/one"];
        Assert.Equal("Python & the Web", one.GetProperty("title").GetString());
        Assert.Equal(["python", "web dev"], Tags(one));
        Assert.Equal("Notes with <em>markup</em>\nacross lines", one.GetProperty("commentary").GetString());
        Assert.Equal("2014-03-09T18:46:21Z", one.GetProperty("publishedAt").GetString());
        Assert.Equal("draft", posts["https://pinhtml.example/two"].GetProperty("status").GetString());
        Assert.Equal("draft", posts["https://pinhtml.example/three"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_shaarli_export_turns_line_breaks_into_new_lines()
    {
        await _cli.OkAsync("import", TestData.Path("netscape-shaarli.html"));

        var posts = await PostsAtAsync("shaarli.example");
        var a = posts["https://shaarli.example/a"];
        Assert.Equal("Shaarli – link sharing", a.GetProperty("title").GetString());
        Assert.Equal("Line one\nLine two", a.GetProperty("commentary").GetString());
        Assert.Equal(["self-hosted", "php"], Tags(a));
        Assert.Equal("2020-01-02T00:00:00Z", a.GetProperty("updatedAt").GetString());
        Assert.Equal("draft", posts["https://shaarli.example/b"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_linkding_export_keeps_tags_with_spaces_once_and_reads_iso_dates()
    {
        await _cli.OkAsync("import", TestData.Path("netscape-linkding.html"));

        var posts = await PostsAtAsync("linkding.example");
        Assert.Equal(["tag with spaces", "rust"], Tags(posts["https://linkding.example/x"]));
        var iso = posts["https://linkding.example/y"];
        Assert.Equal("draft", iso.GetProperty("status").GetString());
        Assert.Equal("2023-06-01T10:00:00Z", iso.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task A_delicious_export_drops_tags_without_letters_and_reads_milliseconds()
    {
        var result = await _cli.OkAsync("import", TestData.Path("netscape-delicious.html"));

        Assert.Contains("tag '!!!' left out", result.Error, StringComparison.Ordinal);
        var posts = await PostsAtAsync("delicious.example");
        Assert.Equal(["web", "design"], Tags(posts["http://delicious.example/old"]));
        Assert.Equal("2006-01-01T00:00:00Z", posts["http://delicious.example/old"].GetProperty("publishedAt").GetString());
        Assert.Equal("2006-01-01T00:00:00.123Z", posts["http://delicious.example/ms"].GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task A_feeds_export_keeps_via_schedules_and_a_drafts_first_publication()
    {
        await _cli.OkAsync("import", TestData.Path("feeds-export.json"));

        var posts = await PostsAtAsync("feedsexport.example");
        var wal = posts["https://feedsexport.example/wal"];
        Assert.Equal("Lobsters", wal.GetProperty("via").GetProperty("title").GetString());
        Assert.Equal("2024-01-03T08:30:00Z", wal.GetProperty("updatedAt").GetString());
        var scheduled = posts["https://feedsexport.example/scheduled"];
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        Assert.Equal("2099-01-01T09:00:00Z", scheduled.GetProperty("publishAt").GetString());
        var unpublished = posts["https://feedsexport.example/unpublished"];
        Assert.Equal("draft", unpublished.GetProperty("status").GetString());
        Assert.Equal("2024-05-02T10:00:00Z", unpublished.GetProperty("publishedAt").GetString());
        Assert.Equal("2024-06-01T10:00:00.5Z", unpublished.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task A_feeds_export_keeps_each_posts_id_and_slug()
    {
        await _cli.RunAsync("import", TestData.Path("feeds-export.json"));

        var posts = await PostsAtAsync("feedsexport.example");
        var wal = posts["https://feedsexport.example/wal"];
        Assert.Equal("0193a1b2-0000-7000-8000-000000000001", wal.GetProperty("id").GetString());
        Assert.Equal("wal", wal.GetProperty("slug").GetString());
        Assert.EndsWith("/2024/01/01/wal", wal.GetProperty("permalink").GetString(), StringComparison.Ordinal);
        var scheduled = posts["https://feedsexport.example/scheduled"];
        Assert.Equal("0193a1b2-0000-7000-8000-000000000003", scheduled.GetProperty("id").GetString());
        Assert.EndsWith("/2099/01/01/later", scheduled.GetProperty("permalink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_the_same_file_again_creates_nothing()
    {
        await _cli.OkAsync("import", TestData.Path("netscape-pinboard.html"));
        var again = await _cli.RunAsync("import", TestData.Path("netscape-pinboard.html"), "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, again.Json.GetProperty("created").GetInt32());
        Assert.Equal(3, again.Json.GetProperty("existing").GetInt32());
        Assert.Equal(3, (await PostsAtAsync("pinhtml.example")).Count);
    }

    [Fact]
    public async Task An_import_interrupted_after_its_first_batch_finishes_exactly_when_run_again()
    {
        var host = $"resume-{Guid.NewGuid():N}.example";
        var file = await WriteBookmarksAsync(host, 7);
        using var interrupt = new CancellationTokenSource();
        var batches = 0;

        var interrupted = await _cli.RunAsync(
            ["import", file, "--batch-size", "2", "--parallel", "1"],
            stdin: "",
            handler: () => new Interceptor(request =>
            {
                if (request.RequestUri!.AbsolutePath.EndsWith("/api/posts/batch", StringComparison.Ordinal) && ++batches == 2)
                {
                    interrupt.Cancel();
                }
            }),
            cancellationToken: interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Contains("interrupted after 2 of 7 posts; run the same command again", interrupted.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await PostsAtAsync(host)).Count);

        var resumed = await _cli.RunAsync("import", file, "--batch-size", "2", "--json");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(5, resumed.Json.GetProperty("created").GetInt32());
        Assert.Equal(2, resumed.Json.GetProperty("existing").GetInt32());
        var posts = await PostsAtAsync(host);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"https://{host}/{i}").Order(), posts.Keys.Order());
    }

    [Fact]
    public async Task An_import_interrupted_with_batches_in_flight_finishes_exactly_when_run_again()
    {
        var host = $"in-flight-{Guid.NewGuid():N}.example";
        var file = await WriteBookmarksAsync(host, 9);
        using var interrupt = new CancellationTokenSource();
        var batches = 0;

        var interrupted = await _cli.RunAsync(
            ["import", file, "--batch-size", "2", "--parallel", "2"],
            stdin: "",
            handler: () => new Interceptor(request =>
            {
                if (request.RequestUri!.AbsolutePath.EndsWith("/api/posts/batch", StringComparison.Ordinal) && Interlocked.Increment(ref batches) == 3)
                {
                    interrupt.Cancel();
                }
            }),
            cancellationToken: interrupt.Token);
        var resumed = await _cli.RunAsync("import", file, "--batch-size", "2", "--json");

        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(9, resumed.Json.GetProperty("created").GetInt32() + resumed.Json.GetProperty("existing").GetInt32());
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"https://{host}/{i}").Order(), (await PostsAtAsync(host)).Keys.Order());
    }

    [Fact]
    public async Task Items_the_server_refuses_are_listed_and_the_rest_imported_with_exit_code_1()
    {
        var host = $"refused-{Guid.NewGuid():N}.example";
        var future = fixture.Server.Now.AddYears(1).ToUnixTimeSeconds();
        var file = Path.Combine(_cli.Home, "future.html");
        await File.WriteAllTextAsync(file, $"""
            <!DOCTYPE NETSCAPE-Bookmark-file-1>
            <DL><p>
            <DT><A HREF="https://{host}/fine" ADD_DATE="1600000000">Fine</A>
            <DT><A HREF="https://{host}/future" ADD_DATE="{future}">From the future</A>
            <DT><A HREF="https://{host}/also-fine" ADD_DATE="1600000001">Also fine</A>
            </DL><p>
            """);

        var result = await _cli.RunAsync("import", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"https://{host}/future was refused: createdAt: must not be in the future.", result.Error, StringComparison.Ordinal);
        Assert.Contains("2 new", result.Out, StringComparison.Ordinal);
        Assert.Equal([$"https://{host}/also-fine", $"https://{host}/fine"], (await PostsAtAsync(host)).Keys.Order());
    }

    [Fact]
    public async Task A_newest_first_file_is_stored_oldest_first_and_its_notes_told_in_file_order()
    {
        // Browsers and Pinboard write the newest bookmark first; items are made in date order, as the import reaches them.
        var host = $"order-{Guid.NewGuid():N}.example";
        var file = Path.Combine(_cli.Home, "newest-first.html");
        await File.WriteAllTextAsync(file, $"""
            <!DOCTYPE NETSCAPE-Bookmark-file-1>
            <DL><p>
            <DT><A HREF="https://{host}/newest" ADD_DATE="1600000300">{new string('n', 600)}</A>
            <DT><A HREF="javascript:void(0)" ADD_DATE="1600000200">Not a link</A>
            <DT><A HREF="https://{host}/middle" ADD_DATE="1600000100">Namesake {host}</A>
            <DT><A HREF="https://{host}/oldest" ADD_DATE="1600000000" TAGS="!!!,kept">Namesake {host}</A>
            </DL><p>
            """);

        var result = await _cli.RunAsync("import", file, "--json", "--parallel", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] notes = [.. result.Json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)];
        Assert.Equal(3, notes.Length);
        Assert.StartsWith($"#1 https://{host}/newest: title shortened", notes[0], StringComparison.Ordinal);
        Assert.StartsWith("#2 javascript:void(0): left out", notes[1], StringComparison.Ordinal);
        Assert.StartsWith($"#4 https://{host}/oldest: tag '!!!' left out", notes[2], StringComparison.Ordinal);
        Assert.Equal(notes.Select(n => $"note: {n}"), result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, result.Json.GetProperty("items").GetInt32());

        // Stored oldest first: of two posts with one title, the later one has the numbered slug.
        var posts = await PostsAtAsync(host);
        var slug = $"namesake-{host.Replace('.', '-')}";
        Assert.Equal(slug, posts[$"https://{host}/oldest"].GetProperty("slug").GetString());
        Assert.Equal($"{slug}-2", posts[$"https://{host}/middle"].GetProperty("slug").GetString());
        Assert.Equal(["kept"], Tags(posts[$"https://{host}/oldest"]));
        Assert.Equal(500, posts[$"https://{host}/newest"].GetProperty("title").GetString()!.Length);
    }

    [Fact]
    public async Task A_progress_bar_is_drawn_only_on_a_terminal_without_NO_COLOR()
    {
        var file = await WriteBookmarksAsync($"progress-{Guid.NewGuid():N}.example", 3);

        var piped = await _cli.RunAsync(["import", file], stdin: "");
        var terminal = await _cli.RunAsync(["import", file], stdin: "", terminal: true);
        _cli.Variables["NO_COLOR"] = "1";
        var noColour = await _cli.RunAsync(["import", file], stdin: "", terminal: true);

        Assert.Equal("", piped.Error);
        Assert.Contains("\r[", terminal.Error, StringComparison.Ordinal);
        Assert.Contains("/3 posts", terminal.Error, StringComparison.Ordinal);
        Assert.Equal("", noColour.Error);
    }

    [Fact]
    public async Task A_file_in_no_known_format_is_a_usage_error()
    {
        var file = Path.Combine(_cli.Home, "notes.txt");
        await File.WriteAllTextAsync(file, "just some notes\n");
        var result = await _cli.RunAsync("import", file);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("not a file feeds can import", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_server_recreates_every_post_exactly()
    {
        using var source = new FeedsServer();
        using var target = new FeedsServer();
        var from = new Infrastructure.Cli(source);
        var to = new Infrastructure.Cli(target);
        await from.OkAsync("post", "https://example.com/wal", "-t", "Write-Ahead Logging", "--tag", "SQLite", "--tag", "Databases", "-m", "Readers *never* block writers.\n\nSecond paragraph.", "--via", "https://lobste.rs/");
        await from.OkAsync("post", "https://example.com/wal", "-t", "Same link, posted again", "--tag", "sqlite");
        await from.OkAsync("post", "https://example.com/draft", "-t", "A draft", "--draft", "-m", "Not yet.");
        await from.OkAsync("post", "https://example.com/soon", "-t", "Scheduled", "--at", "+3d", "--tag", "Later");
        await from.OkAsync("post", "https://example.com/old", "-t", "Backdated & \"quoted\" ☺", "--at", "2019-07-01T08:00:00Z");
        var edited = (await from.JsonAsync("post", "https://example.com/edited", "-t", "Edited later")).GetProperty("id").GetString()!;
        await from.OkAsync("edit", edited, "--title", "Edited, then unpublished", "--draft");
        var file = Path.Combine(from.Home, "export.json");

        await from.OkAsync("export", "-o", file);
        var imported = await to.RunAsync("import", file, "--json");
        var reexport = await to.OkAsync("export");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(6, imported.Json.GetProperty("created").GetInt32());
        var original = Comparable(JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement);
        var copy = Comparable(reexport.Json);
        Assert.Equal(6, original.Count);
        Assert.Equal(original, copy);
    }

    [Fact]
    public async Task A_site_moved_by_export_and_import_keeps_its_permalinks_and_feed_entry_ids_and_importing_again_changes_nothing()
    {
        // The operator keeps the id authority when moving, as the README asks; the servers' addresses differ.
        var settings = new Dictionary<string, string?> { ["Feeds:Publishing:IdAuthority"] = "links.example" };
        using var source = new FeedsServer(settings: settings);
        using var target = new FeedsServer(settings: settings);
        var from = new Infrastructure.Cli(source);
        var to = new Infrastructure.Cli(target);
        var renamed = (await from.JsonAsync("post", "https://example.com/renamed", "-t", "The first title")).GetProperty("id").GetString()!;
        await from.OkAsync("edit", renamed, "--title", "A better title");
        await from.OkAsync("post", "https://example.com/one", "-t", "Namesake");
        await from.OkAsync("post", "https://example.com/two", "-t", "Namesake");
        await from.OkAsync("post", "https://example.com/old", "-t", "Backdated", "--at", "2019-07-01T08:00:00Z");
        await from.OkAsync("post", "https://example.com/draft", "-t", "A draft", "--draft");
        var oldEntries = await EntryIdsAsync(source, 4);
        var file = Path.Combine(from.Home, "export.json");

        await from.OkAsync("export", "-o", file);
        var imported = await to.RunAsync("import", file, "--json");
        var again = await to.RunAsync("import", file, "--json");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(5, imported.Json.GetProperty("created").GetInt32());
        var before = Identities(await from.JsonAsync("ls", "--all"), source);
        var after = Identities(await to.JsonAsync("ls", "--all"), target);
        Assert.Contains(before, p => p.EndsWith("/the-first-title", StringComparison.Ordinal));
        Assert.Contains(before, p => p.EndsWith("/namesake-2", StringComparison.Ordinal));
        Assert.Equal(before, after);
        using var reader = target.CreateClient();
        var published = (await to.JsonAsync("ls", "--all")).EnumerateArray().Where(p => p.GetProperty("status").GetString() == "published").ToList();
        Assert.Equal(4, published.Count);
        foreach (var post in published)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await reader.GetAsync(post.GetProperty("permalink").GetString())).StatusCode);
        }

        Assert.Equal(oldEntries, await EntryIdsAsync(target, 4));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, again.Json.GetProperty("created").GetInt32());
        Assert.Equal(5, again.Json.GetProperty("existing").GetInt32());
        Assert.Equal(after, Identities(await to.JsonAsync("ls", "--all"), target));
    }

    [Fact]
    public async Task A_netscape_export_imports_back_with_links_titles_tags_and_privacy()
    {
        using var source = new FeedsServer();
        using var target = new FeedsServer();
        var from = new Infrastructure.Cli(source);
        var to = new Infrastructure.Cli(target);
        await from.OkAsync("post", "https://example.com/a?x=1&y=2", "-t", "A <b>bold</b> & \"quoted\" title", "--tag", "one", "--tag", "two words", "-m", "Line one\nLine <two> & more");
        await from.OkAsync("post", "https://example.com/b", "-t", "A draft", "--draft");
        var file = Path.Combine(from.Home, "bookmarks.html");

        await from.OkAsync("export", "--format", "netscape", "-o", file);
        await to.OkAsync("import", file);

        var posts = (await to.JsonAsync("ls", "--all")).EnumerateArray().ToDictionary(p => p.GetProperty("url").GetString()!);
        var a = posts["https://example.com/a?x=1&y=2"];
        Assert.Equal("A <b>bold</b> & \"quoted\" title", a.GetProperty("title").GetString());
        Assert.Equal(["one", "two words"], Tags(a));
        Assert.Equal("Line one\nLine <two> & more", a.GetProperty("commentary").GetString());
        Assert.Equal("published", a.GetProperty("status").GetString());
        Assert.Equal("draft", posts["https://example.com/b"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_interrupted_export_leaves_no_file_behind_and_the_old_one_untouched()
    {
        var file = Path.Combine(_cli.Home, "kept.json");
        await File.WriteAllTextAsync(file, "the previous export");
        using var interrupt = new CancellationTokenSource();

        var result = await _cli.RunAsync(
            ["export", "-o", file], stdin: "", handler: () => new Interceptor(_ => interrupt.Cancel()), cancellationToken: interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Equal("the previous export", await File.ReadAllTextAsync(file));
        Assert.Equal([file], Directory.GetFiles(_cli.Home));
    }

    /// <summary>The posts of an export in a form two servers can agree on: everything but permalinks, which name the server.</summary>
    private static List<string> Comparable(JsonElement export) =>
    [
        .. export.GetProperty("posts").EnumerateArray()
            .Select(p => string.Join(" | ", ((string[])["id", "slug", "url", "title", "commentary", "commentaryHtml", "tags", "via", "status", "createdAt", "publishedAt", "publishAt", "updatedAt"])
                .Select(name => $"{name}={p.GetProperty(name).GetRawText()}")))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Each post's id and permalink path (the part of the permalink after the server's address), ordered.</summary>
    private static List<string> Identities(JsonElement posts, FeedsServer server) =>
    [
        .. posts.EnumerateArray()
            .Select(p => $"{p.GetProperty("id").GetString()} {p.GetProperty("permalink").GetString()![server.Address.ToString().TrimEnd('/').Length..]}")
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The entry ids of the server's firehose once it shows <paramref name="count"/> entries, ordered.</summary>
    private static async Task<List<string>> EntryIdsAsync(FeedsServer server, int count)
    {
        using var reader = server.CreateClient();
        var waited = Stopwatch.StartNew();
        List<string> ids;
        while ((ids = EntryIds(await reader.GetStringAsync("/everything.atom"))).Count != count && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        return ids;

        static List<string> EntryIds(string atom) =>
        [
            .. System.Xml.Linq.XDocument.Parse(atom).Descendants(System.Xml.Linq.XName.Get("entry", "http://www.w3.org/2005/Atom"))
                .Select(e => e.Element(System.Xml.Linq.XName.Get("id", "http://www.w3.org/2005/Atom"))!.Value)
                .Order(StringComparer.Ordinal),
        ];
    }

    private async Task<Dictionary<string, JsonElement>> PostsAtAsync(string host) =>
        (await _cli.JsonAsync("ls", "--all"))
            .EnumerateArray()
            .Where(p => new Uri(p.GetProperty("url").GetString()!).Host == host)
            .ToDictionary(p => p.GetProperty("url").GetString()!);

    private static List<string?> Tags(JsonElement post) => [.. post.GetProperty("tags").EnumerateArray().Select(t => t.GetString())];

    private async Task<string> WriteBookmarksAsync(string host, int count)
    {
        var html = new StringBuilder("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n");
        for (var i = 0; i < count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<DT><A HREF=\"https://{host}/{i}\" ADD_DATE=\"{1500000000 + i}\" TAGS=\"resume\">Bookmark {i}</A>\n");
        }

        var path = Path.Combine(_cli.Home, $"{host}.html");
        await File.WriteAllTextAsync(path, html.Append("</DL><p>\n").ToString());
        return path;
    }

    /// <summary>Sees every request before it is sent, on the real network below.</summary>
    private sealed class Interceptor(Action<HttpRequestMessage> onRequest) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onRequest(request);
            cancellationToken.ThrowIfCancellationRequested();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
