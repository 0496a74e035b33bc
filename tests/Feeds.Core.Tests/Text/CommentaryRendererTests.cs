using Feeds.Core.Text;

namespace Feeds.Core.Tests.Text;

public sealed class CommentaryRendererTests
{
    private readonly CommentaryRenderer _renderer = new();

    [Fact]
    public void Markdown_becomes_html() =>
        Assert.Equal("<p>A <em>fine</em> read: <a href=\"https://example.com/\">here</a></p>",
            _renderer.Render("A *fine* read: [here](https://example.com/)"));

    [Theory]
    [InlineData("<script>alert(1)</script>hello")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    public void Scripts_event_handlers_and_javascript_links_never_survive(string markdown)
    {
        var html = _renderer.Render(markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Empty_commentary_renders_to_nothing() => Assert.Equal(string.Empty, _renderer.Render("  \n"));
}
