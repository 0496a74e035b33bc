using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Feeds.Core.Text;

/// <summary>
/// Renders a post's Markdown commentary to HTML that is safe to put in a page or a feed:
/// Markdig for the Markdown, then HtmlSanitizer so raw HTML in the source cannot carry scripts,
/// event handlers, styles or <c>javascript:</c> links.
/// </summary>
/// <remarks>
/// Most commentary is plain Markdown: text, emphasis, headings, lists, quotes, code and links to web pages or mail
/// addresses. Markdig escapes every text and attribute it writes for those, so sanitizing its output would keep every
/// element and attribute as it is, while parsing that output again as a whole document takes nine tenths of a render.
/// Such commentary (<see cref="IsPlain"/>) is taken as Markdig writes it; anything else (raw HTML, tables, footnotes,
/// code marked with a language, a link that is not an absolute http, https or mailto URL, a construct this list does not
/// name) goes through the sanitizer. The tests hold both paths to the same document over random Markdown.
/// </remarks>
public sealed class CommentaryRenderer
{
    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .UseFootnotes()
        .Build();

    /// <summary>What Markdig writes with nothing but escaped text and the element's own attributes (none, or an ordered list's start).</summary>
    private static readonly HashSet<Type> PlainNodes =
    [
        typeof(ParagraphBlock), typeof(HeadingBlock), typeof(QuoteBlock), typeof(ListBlock), typeof(ListItemBlock),
        typeof(ThematicBreakBlock), typeof(CodeBlock), typeof(LinkReferenceDefinitionGroup), typeof(LinkReferenceDefinition),
        typeof(LiteralInline), typeof(EmphasisInline), typeof(CodeInline), typeof(LineBreakInline), typeof(HtmlEntityInline),
    ];

    private readonly HtmlSanitizer _sanitizer = SafeHtml.CreateSanitizer();

    public string Render(string markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var document = Markdown.Parse(markdown, Pipeline);
        var html = Markdown.ToHtml(document, Pipeline);
        return (IsPlain(document) ? html : _sanitizer.Sanitize(html)).Trim();
    }

    /// <summary>Whether every part of <paramref name="document"/> is plain Markdown, whose HTML the sanitizer would leave as it is.</summary>
    internal static bool IsPlain(MarkdownDocument document) => document.Descendants().All(IsPlainNode);

    private static bool IsPlainNode(MarkdownObject node) => node switch
    {
        // Links and images alike: the URL is the one attribute that is not escaped text.
        LinkInline link when link.GetType() == typeof(LinkInline) => link.GetDynamicUrl is null && IsWebUrl(link.Url),
        AutolinkInline autolink when autolink.GetType() == typeof(AutolinkInline) => IsWebUrl(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url),
        // A language becomes a class attribute, which the sanitizer removes.
        FencedCodeBlock fenced when fenced.GetType() == typeof(FencedCodeBlock) => string.IsNullOrEmpty(fenced.Info),
        _ => PlainNodes.Contains(node.GetType()),
    };

    /// <summary>An absolute URL with one of the schemes <see cref="SafeHtml"/> allows, without spaces or control characters.</summary>
    private static bool IsWebUrl(string? url) =>
        url is not null
        && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        && !url.AsSpan().ContainsAnyInRange('\0', ' ')
        && !url.Contains('\u007f', StringComparison.Ordinal);
}
