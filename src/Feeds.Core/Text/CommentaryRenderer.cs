using Ganss.Xss;
using Markdig;

namespace Feeds.Core.Text;

/// <summary>
/// Renders a post's Markdown commentary to HTML that is safe to put in a page or a feed:
/// Markdig for the Markdown, then HtmlSanitizer so raw HTML in the source cannot carry scripts,
/// event handlers, styles or <c>javascript:</c> links.
/// </summary>
public sealed class CommentaryRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .UseFootnotes()
        .Build();

    private readonly HtmlSanitizer _sanitizer = SafeHtml.CreateSanitizer();

    public string Render(string markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var html = Markdown.ToHtml(markdown, _pipeline);
        return _sanitizer.Sanitize(html).Trim();
    }
}
