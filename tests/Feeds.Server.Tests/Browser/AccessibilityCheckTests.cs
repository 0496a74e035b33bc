using Feeds.Server.Tests.Infrastructure;
using Xunit.Sdk;

namespace Feeds.Server.Tests.Browser;

/// <summary>The accessibility check the page tests rely on finds what it must: a passing page test means something.</summary>
public sealed class AccessibilityCheckTests(Chromium chromium)
{
    [Fact]
    public async Task The_check_fails_on_a_page_with_an_unnamed_image_and_low_contrast_text_naming_both()
    {
        var page = await chromium.NewPageAsync();
        await page.SetContentAsync(
            """
            <!doctype html><html lang="en"><head><title>Bad</title></head>
            <body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">faint</p></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<TrueException>(() => Chromium.AssertAccessibleAsync(page));

        Assert.Contains("critical image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("serious color-contrast", failure.Message, StringComparison.Ordinal);
        Assert.Contains("<img src=", failure.Message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_check_passes_a_plain_accessible_page()
    {
        var page = await chromium.NewPageAsync();
        await page.SetContentAsync(
            """
            <!doctype html><html lang="en"><head><title>Good</title></head>
            <body><main><h1>Plain</h1><p>Black on white.</p></main></body></html>
            """);

        await Chromium.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }
}
