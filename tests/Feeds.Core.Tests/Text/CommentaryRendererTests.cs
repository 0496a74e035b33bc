using AngleSharp.Html.Parser;
using CsCheck;
using Feeds.Core.Text;
using Markdig;

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

    [Theory]
    [InlineData("Commentary in *Markdown* with a [link](https://example.org/42).")]
    [InlineData("line one  \nline two with \"quotes\" & a < b\n\n---")]
    [InlineData("# Heading\n\n> quote *em*\n\n- a\n- b\n\n3. three\n4. four")]
    [InlineData("`code <b>`\n\n    indented <code>\n\n```\nfenced\n```")]
    [InlineData("~~del~~ ++ins++ ==mark== ^sup^ ~sub~ **strong** text&copy;&nbsp;&#x41;")]
    [InlineData("www.example.com <https://example.net/a> <me@example.com> [ref][1] ![img](https://example.com/a.png \"t\")\n\n[1]: https://example.com/ref")]
    [InlineData("[IDN](https://bücher.example/ä) [m](MAILTO:a@example.com?subject=hi%20there) [x](https://example.com/\"onmouseover=alert(1))")]
    public void Plain_markdown_is_taken_as_markdig_writes_it(string markdown)
    {
        Assert.True(CommentaryRenderer.IsPlain(Markdown.Parse(markdown, CommentaryRenderer.Pipeline)));
        Assert.Equal(Markdown.ToHtml(markdown, CommentaryRenderer.Pipeline).Trim(), _renderer.Render(markdown));
    }

    [Theory]
    [InlineData("<b>raw</b> inline html")]
    [InlineData("<div>\nraw block\n</div>")]
    [InlineData("| a | b |\n|:-|-:|\n| 1 | 2 |")]
    [InlineData("note[^1]\n\n[^1]: the note")]
    [InlineData("```csharp\nvar x = 1;\n```")]
    [InlineData("[relative](/path) [fragment](#x)")]
    [InlineData("[tel](tel:123)")]
    [InlineData("[js](javascript:alert(1))")]
    [InlineData("[data](data:text/html,x)")]
    [InlineData("[spaced](<https://example.com/a b>)")]
    [InlineData("![img](vbscript:x)")]
    public void Anything_else_goes_through_the_sanitizer(string markdown)
    {
        Assert.False(CommentaryRenderer.IsPlain(Markdown.Parse(markdown, CommentaryRenderer.Pipeline)));
        Assert.Equal(SafeHtml.CreateSanitizer().Sanitize(Markdown.ToHtml(markdown, CommentaryRenderer.Pipeline)).Trim(), _renderer.Render(markdown));
    }

    /// <summary>Pieces of Markdown, HTML and URLs that random commentary is made of, hostile ones among them.</summary>
    private static readonly string[] Pieces =
    [
        "text", " ", "\n", "\n\n", "  \n", "*", "**", "_", "~~", "++", "==", "^", "~", "`", "```", "```js", "    ", "# ", "> ", "- ",
        "1. ", "3) ", "---", "| a | b |\n|:-|-:|\n| 1 | 2 |\n", "[", "]", "(", ")", "![", "<", ">", "\"", "'", "&", "&amp;",
        "&copy;", "&#0;", "\\", "[^1]", "[^1]: note\n", "[1]: https://example.com/r\n", "[l][1]", "https://example.com/x",
        "http://example.org/?a=1&b=<2>", "www.example.com", "mailto:a@example.com", "me@example.com", "javascript:alert(1)",
        "JaVaScRiPt:x", "data:text/html,x", "java\tscript:x", "/relative", "#frag", "tel:1", "<b>", "</b>", "<script>x</script>",
        "<img src=x onerror=alert(1)>", "<a href=\"javascript:x\">", "<div style=\"color:red\">", "<!-- c -->", "\u00a0", "é",
        "😀", "\u0001", "\u007f",
    ];

    [Fact]
    public void Random_commentary_renders_to_the_document_the_sanitizer_makes_of_markdigs_html()
    {
        var sanitizer = SafeHtml.CreateSanitizer();
        var parser = new HtmlParser();
        string Document(string html) => parser.ParseDocument("<!doctype html><body>" + html).Body!.InnerHtml;

        Gen.Int[0, Pieces.Length - 1].Array[1, 40]
            .Select(picks => string.Concat(picks.Select(p => Pieces[p])))
            .Sample(
                markdown => Assert.Equal(
                    string.IsNullOrWhiteSpace(markdown) ? "" : Document(sanitizer.Sanitize(Markdown.ToHtml(markdown, CommentaryRenderer.Pipeline)).Trim()),
                    Document(_renderer.Render(markdown))),
                iter: 3000);
    }
}
