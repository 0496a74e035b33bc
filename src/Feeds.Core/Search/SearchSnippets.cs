using System.Net;
using System.Text;

namespace Feeds.Core.Search;

/// <summary>
/// A stretch of a post's text around the words a query matched, HTML-escaped, with each matched word in
/// <c>&lt;mark&gt;</c>: the only markup it carries, so it is safe to put into a page as it is.
/// </summary>
public static class SearchSnippets
{
    public const int DefaultWords = 30;

    public static string Highlight(string text, SearchQuery query, int maxWords = DefaultWords)
    {
        var spans = SearchText.Spans(text).ToList();
        if (spans.Count == 0)
        {
            return "";
        }

        var folded = spans.Select(s => SearchText.Fold(text.AsSpan(s.Start, s.Length))).ToList();
        var marked = new bool[spans.Count];
        foreach (var term in query.Terms)
        {
            for (var start = 0; start + term.Words.Count <= folded.Count; start++)
            {
                if (term.IsIn(folded.GetRange(start, term.Words.Count)))
                {
                    Array.Fill(marked, true, start, term.Words.Count);
                }
            }
        }

        var first = Array.IndexOf(marked, true);
        var from = first <= maxWords / 3 ? 0 : first - maxWords / 3;
        var to = Math.Min(spans.Count, from + maxWords);

        var html = new StringBuilder();
        var textFrom = from == 0 ? 0 : spans[from].Start;
        if (from > 0)
        {
            html.Append('…');
        }

        for (var i = from; i < to; i++)
        {
            var (start, length) = spans[i];
            html.Append(WebUtility.HtmlEncode(text[textFrom..start]));
            var word = WebUtility.HtmlEncode(text.Substring(start, length));
            html.Append(marked[i] ? $"<mark>{word}</mark>" : word);
            textFrom = start + length;
        }

        if (to < spans.Count)
        {
            html.Append('…');
        }
        else
        {
            html.Append(WebUtility.HtmlEncode(text[textFrom..]));
        }

        return html.ToString();
    }
}
