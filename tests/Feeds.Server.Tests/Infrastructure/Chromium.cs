using Deque.AxeCore.Commons;
using Feeds.Tests;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Feeds.Server.Tests.Infrastructure.Chromium))]

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium (<c>apt-get install chromium</c>), driven by Playwright for .NET over the browser's own
/// protocol: one browser for the whole test assembly, a fresh context (cookies, viewport, colour scheme) for each page.
/// Playwright's own browser download is never used. Where the browser is not installed, <see cref="NewPageAsync"/>
/// skips the calling test naming it; <c>.ci/run</c> installs it, so CI runs every browser test.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>The browser's path: <c>FEEDS_CHROMIUM</c>, else where Debian's package puts it.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("FEEDS_CHROMIUM") is { Length: > 0 } configured
        ? configured
        : "/usr/bin/chromium";

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> in the repository, kept by CI as test artifacts.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ExternalTools.RepositoryRoot, "artifacts", "screenshots");

    // No sandbox (CI runs as root), no GPU, and nothing the browser would fetch by itself.
    private static readonly string[] _arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    private readonly SemaphoreSlim _launch = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A page in a context of its own, <paramref name="width"/> pixels wide, in the given colour scheme, with or
    /// without JavaScript. Skips the test when the browser is not installed.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, ColorScheme colorScheme = ColorScheme.Light, bool javaScript = true)
    {
        var browser = await LaunchAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = colorScheme,
            JavaScriptEnabled = javaScript,
            Locale = "en-GB",
        });
        // Playwright's 30 s is short for a page and its sign-in on a busy two-core machine running the whole suite.
        context.SetDefaultTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves the whole of <paramref name="page"/> as <c>{name}.png</c> among the screenshots, and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Runs axe-core (the version Deque.AxeCore.Commons bundles) in <paramref name="page"/> with its own <c>axe.run</c>
    /// and asserts that it finds no serious or critical violation, listing each one it finds with the elements concerned.
    /// </summary>
    /// <remarks>
    /// Deque's <c>RunAxe</c> runs each frame apart and merges the results in a page of its own, which took two seconds a
    /// check; these pages have one frame (asserted), so <c>axe.run</c> over the document sees all of it, and the browser
    /// tests take two thirds of the time they took.
    /// The script is evaluated through the browser's protocol, which the pages' Content-Security-Policy does not govern.
    /// </remarks>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        Assert.Single(page.Frames);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeScript.Value);
        }

        var severe = await page.EvaluateAsync<Violation[]>(
            """
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html + '\n    ' + n.target.join(' ')) }))
            """);
        Assert.True(severe.Length == 0, $"{page.Url}: axe-core found\n" + string.Join('\n', severe.Select(v => v.ToString())));
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _launch.Dispose();
    }

    /// <summary>A violation as the assertion lists it: what axe-core reports of it, and each element concerned.</summary>
    private sealed class Violation
    {
        public string Id { get; set; } = "";
        public string Impact { get; set; } = "";
        public string Help { get; set; } = "";
        public string[] Nodes { get; set; } = [];

        public override string ToString() => $"{Impact} {Id}: {Help}\n" + string.Join('\n', Nodes.Select(n => "  " + n));
    }

    private async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Skip($"chromium: {ExecutablePath} is not installed (apt-get install chromium, or set FEEDS_CHROMIUM).");
        }

        await _launch.WaitAsync();
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            return _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = _arguments,
            });
        }
        finally
        {
            _launch.Release();
        }
    }
}
