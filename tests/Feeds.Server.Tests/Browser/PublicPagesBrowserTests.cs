using Feeds.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Feeds.Server.Tests.Browser;

/// <summary>The public pages in a real Chromium: accessibility, the policy, narrow screens, focus and dark mode.</summary>
public sealed class PublicPagesBrowserTests(PublicPagesBrowserTests.Site site, Chromium chromium) : IClassFixture<PublicPagesBrowserTests.Site>
{
    public static TheoryData<string> PageNames => [.. Site.PageNames];

    /// <remarks>
    /// One visit per page: the colour scheme is switched and the window narrowed on the page as loaded. axe-core runs
    /// in light at 1280 px and in dark at 390 px, so each scheme and each width is checked once.
    /// </remarks>
    [Theory]
    [MemberData(nameof(PageNames))]
    public async Task Each_public_page_is_accessible_keeps_its_policy_and_fits_390_pixels_in_both_schemes(string name)
    {
        var page = await chromium.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        var response = await page.GotoAsync(site.PathOf(name));

        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        // 42rem from the stylesheet: the file was fetched and allowed.
        Assert.Equal("672px", await page.EvaluateAsync<string>("getComputedStyle(document.body).maxWidth"));
        await Chromium.ScreenshotAsync(page, $"public-{name}-1280-light");
        await Chromium.AssertAccessibleAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Chromium.ScreenshotAsync(page, $"public-{name}-1280-dark");

        await page.SetViewportSizeAsync(390, 900);
        Assert.True(
            await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390,
            $"{name} is {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide at 390");
        await Chromium.ScreenshotAsync(page, $"public-{name}-390-dark");
        await Chromium.AssertAccessibleAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Chromium.ScreenshotAsync(page, $"public-{name}-390-light");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_first_tab_reaches_a_visible_skip_link_with_a_visible_focus_ring()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(site.PathOf("home"));

        await page.Keyboard.PressAsync("Tab");

        var focused = page.Locator(":focus");
        Assert.Equal("Skip to content", await focused.TextContentAsync());
        Assert.Equal("solid", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        Assert.Equal("3px", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineWidth"));
        var box = await focused.BoundingBoxAsync();
        Assert.True(box is { X: >= 0, Y: >= 0 }, $"the focused skip link is off screen at {box?.X},{box?.Y}");

        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Coffee, measured", await page.Locator(":focus").TextContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_follow_the_readers_dark_mode()
    {
        var light = await chromium.NewPageAsync(colorScheme: ColorScheme.Light);
        var dark = await chromium.NewPageAsync(colorScheme: ColorScheme.Dark);
        await light.GotoAsync(site.PathOf("home"));
        await dark.GotoAsync(site.PathOf("home"));

        const string Colours =
            "[getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).color, getComputedStyle(document.querySelector('main a')).color]";

        Assert.Equal(["rgb(255, 255, 255)", "rgb(28, 28, 28)", "rgb(26, 95, 180)"], await light.EvaluateAsync<string[]>(Colours));
        Assert.Equal(["rgb(18, 18, 18)", "rgb(232, 232, 232)", "rgb(140, 188, 242)"], await dark.EvaluateAsync<string[]>(Colours));
        await light.Context.CloseAsync();
        await dark.Context.CloseAsync();
    }

    /// <summary>A site with posts of every shape a page shows: commentary with quotes and code, via, several tags, long words.</summary>
    public sealed class Site : ServerFixture
    {
        public static readonly string[] PageNames =
            ["home", "older", "tag", "combination", "permalink", "not-found", "tags", "tags-by-use", "archive", "year", "month", "site"];

        private readonly Dictionary<string, string> _paths = new()
        {
            ["home"] = "/",
            ["tag"] = "/tags/coffee",
            ["combination"] = "/tags/coffee+measuring",
            ["not-found"] = "/tags/no-such-tag",
            ["tags"] = "/tags",
            ["tags-by-use"] = "/tags?sort=count",
            ["archive"] = "/archive",
            ["year"] = "/archive/2025",
            ["month"] = "/archive/2025/01",
            ["site"] = "/site/example.com",
        };

        public string PathOf(string name) => new Uri(Server.Address, _paths[name]).ToString();

        protected override async Task SeedAsync()
        {
            var start = new DateTimeOffset(2025, 1, 6, 8, 30, 0, TimeSpan.Zero);
            for (var i = 0; i < 31; i++)
            {
                await Author.CreateAsync(new
                {
                    url = $"https://example.com/notes/{i}",
                    title = $"Note {i + 1}",
                    commentary = "A short note.",
                    tags = new[] { "Notes" },
                    publishAt = start.AddDays(i),
                });
            }

            await Author.CreateAsync(new
            {
                url = "https://example.com/a/very/long/address/that/would/push/a/narrow/screen/sideways/unless/it/wraps/" + new string('x', 120),
                title = "Supercalifragilisticexpialidocious-and-an-even-longer-unbroken-title-word-for-narrow-screens",
                commentary = "> A quote worth keeping.\n\nAnd some `code` in a block:\n\n```\nfor (var i = 0; i < 10; i++) { Console.WriteLine(\"a line of code longer than a phone is wide\"); }\n```",
                tags = new[] { "Coffee", "Long reads" },
                via = new { url = "https://friend.example/", title = "A friend" },
                publishAt = start.AddDays(40),
            });
            var post = await Author.CreateAsync(new
            {
                url = "https://example.com/coffee",
                title = "Coffee, measured",
                commentary = "Weighing the beans *and* the water changed everything.",
                tags = new[] { "Coffee", "Measuring" },
                via = new { url = "https://friend.example/coffee" },
                publishAt = start.AddDays(41),
            });
            _paths["permalink"] = new Uri(post.GetProperty("permalink").GetString()!).AbsolutePath;

            var home = await Author.GetStringAsync("/");
            var older = System.Text.RegularExpressions.Regex.Match(home, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value;
            _paths["older"] = new Uri(System.Net.WebUtility.HtmlDecode(older)).PathAndQuery;
        }
    }
}
