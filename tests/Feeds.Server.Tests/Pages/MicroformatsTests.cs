using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// What IndieWeb readers and tools find in the pages, read by an independent parser: Debian's mf2py through
/// <c>parse-mf2.py</c>. Every post is an h-entry bookmarking its link, inside an h-feed, on every list page and on its
/// permalink. Skipped, naming mf2py, where it is not installed.
/// </summary>
public sealed class MicroformatsTests(MicroformatsTests.Site site) : IClassFixture<MicroformatsTests.Site>
{
    public static TheoryData<string> ListPages => ["/", "/tags/coffee", "/archive/2025/01", "/site/example.com"];

    [Theory]
    [MemberData(nameof(ListPages))]
    public async Task Every_post_of_a_list_page_is_an_h_entry_inside_an_h_feed(string path)
    {
        var feed = Assert.Single(await ItemsAsync(path), i => Types(i).Contains("h-feed"));
        var entries = feed.GetProperty("children").EnumerateArray().ToList();

        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(["h-entry"], Types(e)));
        var coffee = Assert.Single(entries, e => Values(e, "name").SequenceEqual(["Coffee, measured"]));
        AssertCoffee(coffee);
    }

    [Fact]
    public async Task A_permalink_is_one_h_entry_inside_an_h_feed()
    {
        var feed = Assert.Single(await ItemsAsync(HtmlPages.PathOf(site.Permalink)), i => Types(i).Contains("h-feed"));

        AssertCoffee(Assert.Single(feed.GetProperty("children").EnumerateArray()));
    }

    [Fact]
    public async Task A_post_without_commentary_is_still_an_entry_with_its_name_link_date_and_address()
    {
        var feed = Assert.Single(await ItemsAsync("/site/bare.example"), i => Types(i).Contains("h-feed"));
        var entry = Assert.Single(feed.GetProperty("children").EnumerateArray());

        Assert.Equal(["Bare link"], Values(entry, "name"));
        Assert.Equal(["https://bare.example/"], Values(entry, "bookmark-of"));
        Assert.False(entry.GetProperty("properties").TryGetProperty("content", out _));
        Assert.Single(Values(entry, "url"));
        Assert.Single(Values(entry, "published"));
    }

    private void AssertCoffee(JsonElement entry)
    {
        Assert.Equal(["Coffee, measured"], Values(entry, "name"));
        Assert.Equal(["https://example.com/coffee"], Values(entry, "bookmark-of"));
        Assert.Equal([site.Permalink], Values(entry, "url"));
        Assert.Equal(["2025-01-20T08:30:00Z"], Values(entry, "published"));
        Assert.Equal(["Coffee", "Measuring"], Values(entry, "category"));
        var content = Assert.Single(entry.GetProperty("properties").GetProperty("content").EnumerateArray());
        Assert.Equal("Weighing the beans and the water changed everything.", content.GetProperty("value").GetString());
        Assert.Contains("<em>and</em>", content.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> ItemsAsync(string path)
    {
        var python = Mf2Python();
        var script = ExternalTools.Require("parse-mf2.py");
        var file = Path.Combine(TempDirectory.Create(), "page.html");
        await File.WriteAllTextAsync(file, await site.Author.GetStringAsync(path));

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(python, [script, file, "--base", HtmlPages.BaseUrl + path]);

        Assert.True(exitCode == 0, $"parse-mf2.py {path} exited {exitCode}:\n{stdout}\n{stderr}");
        return [.. JsonDocument.Parse(stdout).RootElement.GetProperty("items").EnumerateArray()];
    }

    /// <summary>A Python that has mf2py (Debian's <c>python3-mf2py</c> is installed for the system's); skips naming it when none has.</summary>
    private static string Mf2Python()
    {
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "import mf2py"])
                {
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                process!.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not there: try the next.
            }
        }

        Assert.Skip("parse-mf2.py: needs mf2py (apt-get install python3-mf2py), which is not installed.");
        return null!;
    }

    private static string[] Types(JsonElement item) => [.. item.GetProperty("type").EnumerateArray().Select(t => t.GetString()!)];

    private static string[] Values(JsonElement item, string property) =>
        item.GetProperty("properties").TryGetProperty(property, out var values)
            ? [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetProperty("value").GetString()!)]
            : [];

    /// <summary>Posts with and without commentary, tags and via, in January 2025.</summary>
    public sealed class Site : ServerFixture
    {
        public string Permalink { get; private set; } = "";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feeds:BaseUrl"] = HtmlPages.BaseUrl };

        protected override async Task SeedAsync()
        {
            await Author.CreateAsync(new
            {
                url = "https://example.com/earlier",
                title = "Earlier",
                commentary = "An earlier note.",
                tags = new[] { "Coffee" },
                publishAt = new DateTimeOffset(2025, 1, 10, 8, 0, 0, TimeSpan.Zero),
            });
            var post = await Author.CreateAsync(new
            {
                url = "https://example.com/coffee",
                title = "Coffee, measured",
                commentary = "Weighing the beans *and* the water changed everything.",
                tags = new[] { "Coffee", "Measuring" },
                via = new { url = "https://friend.example/coffee" },
                publishAt = new DateTimeOffset(2025, 1, 20, 8, 30, 0, TimeSpan.Zero),
            });
            Permalink = post.GetProperty("permalink").GetString()!;
            await Author.CreateAsync(new { url = "https://bare.example/", title = "Bare link", publishAt = new DateTimeOffset(2025, 1, 21, 0, 0, 0, TimeSpan.Zero) });
        }
    }
}
